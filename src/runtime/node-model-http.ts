import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { urlToHttpOptions } from 'node:url';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { DRAIN_GRACE_MS, type ModelHttp, type ModelHttpResponse } from '../answer/model-http.js';

/**
 * The model API over node:http(s), with keep-alive. Node's fetch (undici behind the WHATWG API) wraps
 * every call in Request, Response, Headers and several web streams, and reads the body through them; on
 * a streamed completion that was a measurable share of a round's CPU (README, Performance). Here the
 * body is read straight off the socket as text.
 */
export function createNodeModelHttp(): ModelHttp {
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  // Every call goes to the same URL: parsed once, not per call.
  let target: { url: string; secure: boolean; options: RequestOptions } | undefined;
  return ({ url, headers, body, signal }) =>
    new Promise<ModelHttpResponse>((resolve, reject) => {
      if (target?.url !== url) {
        const parsed = new URL(url);
        target = { url, secure: parsed.protocol === 'https:', options: urlToHttpOptions(parsed) };
      }
      const { secure, options } = target;
      const outgoing = (secure ? httpsRequest : httpRequest)(
        {
          ...options,
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
    text: () => textOf(incoming),
    discard: () => drainAway(incoming),
  };
}

/**
 * The body's text as 'data' events deliver it. (A Readable's own async iterator learns of the body's end
 * a turn of the event loop later, and destroys the socket when the loop is left early.)
 */
async function* textOf(incoming: IncomingMessage): AsyncGenerator<string> {
  const arrived: string[] = [];
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const onData = (piece: string) => {
    arrived.push(piece);
    wake?.();
  };
  const onEnd = () => {
    ended = true;
    wake?.();
  };
  const onError = (error: Error) => {
    failure = error;
    wake?.();
  };
  incoming.setEncoding('utf8');
  incoming.on('data', onData).once('end', onEnd).once('error', onError);
  try {
    for (;;) {
      if (arrived.length > 0) {
        // Taken before the yield: more may arrive while the reader is away.
        const piece = arrived.join('');
        arrived.length = 0;
        yield piece;
        continue;
      }
      if (failure) throw failure;
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    // `onError` stays: an 'error' without listeners ends the process.
    incoming.off('data', onData).off('end', onEnd);
    if (!ended && !failure) drainAway(incoming);
  }
}

/** Reads the rest of a body away so its socket returns to the pool; drops it if it does not end soon. */
function drainAway(incoming: IncomingMessage) {
  // A late error (a reset while draining) must not go unheard: an 'error' without listeners ends the process.
  incoming.on('error', () => {});
  incoming.resume();
  if (incoming.complete) return;
  const timer = setTimeout(() => incoming.destroy(), DRAIN_GRACE_MS);
  const done = () => clearTimeout(timer);
  incoming.once('end', done).once('close', done);
}
