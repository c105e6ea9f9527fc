import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake OAuth server answers: a status and a raw body, or `hang` to never answer. */
export type OAuthReply = { status: number; body: string } | 'hang';

export interface FakeOAuth {
  readonly url: string;
  /** Request URLs received (path and query), oldest first. */
  readonly requests: URL[];
  reply(next: OAuthReply): void;
  stop(): Promise<void>;
}

/** A tiny stand-in for Baidu's /oauth/2.0/token, on 127.0.0.1, a free port. */
export async function startFakeOAuth(initial: OAuthReply): Promise<FakeOAuth> {
  let current = initial;
  const requests: URL[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(new URL(req.url ?? '/', 'http://oauth.test'));
    if (current === 'hang') return;
    res.writeHead(current.status, { 'content-type': 'application/json' });
    res.end(current.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (next) => {
      current = next;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

export const json = (status: number, body: unknown): OAuthReply => ({ status, body: JSON.stringify(body) });
