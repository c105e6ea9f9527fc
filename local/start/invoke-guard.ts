import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * serverless-offline's Lambda invoke endpoint reflects any Origin and takes a text/plain POST, so any web
 * page open in the developer's browser could invoke the local functions (a "simple" cross-origin request
 * needs no preflight). The AWS SDK and CLI never send an Origin or a form-like content type; a browser
 * always sends Origin on a cross-origin POST. This guard stands in front of the endpoint and refuses both.
 */
export interface InvokeGuard {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Content types a browser may POST cross-origin without a preflight. */
const SIMPLE_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);

/** Why a request is refused, or undefined: it is the SDK's or the CLI's kind. */
export function refusal(
  headers: IncomingMessage['headers'],
): { status: number; message: string } | undefined {
  // Browsers send Origin on every cross-origin POST, no-cors ones included (Fetch standard); Node's fetch,
  // the SDK and the CLI send none.
  if (headers.origin !== undefined) {
    return { status: 403, message: 'the local invoke endpoint refuses requests from web pages (Origin)' };
  }
  const [type = ''] = (headers['content-type'] ?? '').split(';').map((part) => part.trim().toLowerCase());
  if (SIMPLE_TYPES.has(type)) {
    return { status: 415, message: `the local invoke endpoint refuses Content-Type ${type}` };
  }
  return undefined;
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ Type: 'User', Message: message }));
}

/** Listens on host:port (0: a free one) and passes every acceptable request on to the target port. */
export function startInvokeGuard(options: {
  host: string;
  port: number;
  target: number;
}): Promise<InvokeGuard> {
  const server: Server = createServer((req, res) => {
    const refused = refusal(req.headers);
    if (refused) {
      req.resume();
      refuse(res, refused.status, refused.message);
      return;
    }
    const upstream = request(
      { host: options.host, port: options.target, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) refuse(res, 502, `the Lambda endpoint behind the guard failed: ${err.message}`);
      else res.destroy(err);
    });
    req.pipe(upstream);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port, exclusive: true }, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://${options.host}:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
