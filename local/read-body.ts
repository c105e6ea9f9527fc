import type { IncomingMessage } from 'node:http';

/** The request body was larger than the stand-in accepts; what arrived past the limit was dropped. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`the request body is over ${maxBytes} bytes`);
  }
}

/** The whole body as UTF-8, kept in memory up to maxBytes (the rest is read and dropped, then refused). */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > maxBytes) reject(new BodyTooLargeError(maxBytes));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
    req.on('close', () => reject(new Error('request closed before its body was complete')));
  });
}
