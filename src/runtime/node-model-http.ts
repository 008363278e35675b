import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { ModelHttp, ModelHttpResponse } from '../answer/model-http.js';

/**
 * The model API over node:http(s), with keep-alive. Node's fetch (undici behind the WHATWG API) wraps
 * every call in Request, Response, Headers and several web streams, and reads the body through them; on
 * a streamed completion that was a measurable share of a round's CPU (README, Performance). Here the
 * body is read straight off the socket as text.
 */
export function createNodeModelHttp(): ModelHttp {
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  return ({ url, headers, body, signal }) =>
    new Promise<ModelHttpResponse>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const outgoing = (secure ? httpsRequest : httpRequest)(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          agent: secure ? agents.https : agents.http,
          signal,
        },
        (incoming) => resolve(nodeResponse(incoming)),
      );
      outgoing.once('error', reject);
      outgoing.end(body);
    });
}

function nodeResponse(incoming: IncomingMessage): ModelHttpResponse {
  return {
    status: incoming.statusCode ?? 502,
    header(name) {
      const value = incoming.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    text() {
      incoming.setEncoding('utf8');
      // A Readable iterates its chunks; ending the loop early destroys it (and so the request).
      return incoming as AsyncIterable<string>;
    },
    discard: () => void incoming.resume(),
  };
}
