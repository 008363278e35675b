import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

/**
 * `fetch` over node:http(s) with keep-alive, for the model API client on Node. Node's built-in fetch
 * (undici behind the WHATWG API) streams every request body through an async generator and wraps each
 * call in Request, Response and several web streams; on a streamed chat completion that costs a
 * multiple of the whole request's own work (see the README's Performance section). Workers keep their
 * native fetch.
 *
 * It covers what an API client sends: a method, headers, a string or byte body, an abort signal. It
 * does not follow redirects (APIs answer POSTs where they are sent) and asks for no compression.
 */
export function createNodeHttpFetch(): typeof fetch {
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : input);
      const body = init.body ?? undefined;
      if (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)) {
        reject(new TypeError('this fetch sends string or byte bodies only'));
        return;
      }
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, name) => (headers[name] = value));
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const secure = url.protocol === 'https:';
      const outgoing = (secure ? httpsRequest : httpRequest)(
        url,
        {
          method: init.method ?? 'GET',
          headers,
          agent: secure ? agents.https : agents.http,
          signal: init.signal ?? undefined,
        },
        (incoming) => resolve(toResponse(incoming)),
      );
      outgoing.once('error', reject);
      outgoing.end(body);
    });
}

function toResponse(incoming: IncomingMessage): Response {
  const headers = new Headers();
  for (let index = 0; index < incoming.rawHeaders.length; index += 2) {
    headers.append(incoming.rawHeaders[index]!, incoming.rawHeaders[index + 1]!);
  }
  const status = incoming.statusCode ?? 502;
  // A Response with these statuses must have no body.
  const empty = status === 204 || status === 205 || status === 304;
  if (empty) incoming.resume();
  const body = empty ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>);
  return new Response(body, { status, statusText: incoming.statusMessage, headers });
}
