import type { IncomingMessage } from 'node:http';

/**
 * For the fake CRM servers: reads a request's whole body, or drains it and returns `too-large` past `limit` bytes
 * (so the client still reads the fake's answer instead of a reset connection).
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size <= limit) chunks.push(chunk);
  }
  return size > limit ? 'too-large' : Buffer.concat(chunks);
}
