import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startInvokeGuard, type InvokeGuard } from '../../local/start/invoke-guard';

let target: Server;
let guard: InvokeGuard;
const received: { path: string; body: string }[] = [];

beforeAll(async () => {
  // Stands in for serverless-offline's Lambda endpoint: records what reaches it, answers 200.
  target = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const { port } = target.address() as AddressInfo;
  guard = await startInvokeGuard({ host: '127.0.0.1', port: 0, target: port });
});

afterAll(async () => {
  await guard.close();
  await new Promise<void>((resolve) => target.close(() => resolve()));
});

beforeEach(() => {
  received.length = 0;
});

const PATH = '/2015-03-31/functions/swan-order-sync-local-reconcile/invocations';

const post = (headers: Record<string, string>, body = '{"report":true}') =>
  fetch(`${guard.url}${PATH}`, { method: 'POST', headers, body });

describe('the local invoke guard', () => {
  it.each<[string, Record<string, string>]>([
    [
      'as the AWS SDK sends it (no content type given by it: binary)',
      { 'content-type': 'binary/octet-stream' },
    ],
    ['as JSON', { 'content-type': 'application/json' }],
  ])('passes an invoke %s on, with its answer', async (_name, headers) => {
    // Act
    const res = await post(headers);

    // Assess
    expect(res.status).toBe(200);
    expect(res.headers.get('x-amz-executed-version')).toBe('$LATEST');
    expect(await res.json()).toEqual({ ok: true });
    expect(received).toEqual([{ path: PATH, body: '{"report":true}' }]);
  });

  it.each<[string, Record<string, string>, number]>([
    ['from a web page (Origin)', { origin: 'https://evil.example', 'content-type': 'application/json' }, 403],
    ['from this very host, as a page (Origin)', { origin: 'http://127.0.0.1:3000' }, 403],
    ['a no-cors POST from a page', { origin: 'null', 'sec-fetch-mode': 'no-cors' }, 403],
    ['a text/plain POST', { 'content-type': 'text/plain;charset=UTF-8' }, 415],
    ['a form POST', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
    ['a multipart POST', { 'content-type': 'multipart/form-data; boundary=x' }, 415],
  ])('refuses %s, and nothing reaches the endpoint', async (_name, headers, status) => {
    // Act
    const res = await post(headers);

    // Assess
    expect(res.status).toBe(status);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(await res.json()).toEqual({
      Type: 'User',
      Message: expect.stringContaining('local invoke endpoint'),
    });
    expect(received).toEqual([]);
  });
});
