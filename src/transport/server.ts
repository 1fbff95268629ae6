/**
 * @module server — the Node HTTP server: Hono's fetch handler for requests and the room WebSocket for
 * upgrades on the same port. Owns listening and an orderly close (sockets first, then the port).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AppEnv } from './app-env.ts';
import type { RoomSocketServer } from './room-socket.ts';

export interface RunningServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function listen(app: Hono<AppEnv>, sockets: RoomSocketServer, host: string, port: number): Promise<RunningServer> {
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  server.on('upgrade', (req, socket, head) => {
    if (!sockets.handleUpgrade(req, socket, head)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
