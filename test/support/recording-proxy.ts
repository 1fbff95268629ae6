/**
 * @module test/support/recording-proxy — an HTTP proxy on 127.0.0.1 port 0 in front of a test server,
 * for clients the tests do not write themselves (curl in the docs walk): it forwards each request as it
 * came (Host and Origin included, so the same-origin check sees the proxy's address on both) and records
 * each answer for the OpenAPI contract check. HTTP only; it refuses WebSocket upgrades.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recordResponse } from './api-recorder.ts';

export interface RecordingProxy {
  readonly url: string;
  close(): Promise<void>;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const to = new URL(target);
  const server = createServer((req, res) => {
    const upstream = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        const contentType = answer.headers['content-type'] ?? null;
        recordResponse(req.method ?? 'GET', req.url ?? '/', answer.statusCode ?? 0, contentType, body.toString('utf8'));
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        res.end(body);
      });
    });
    upstream.on('error', (err) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`recording proxy: ${err.message}`);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
