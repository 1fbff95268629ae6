/**
 * @module server — the Node HTTP server: Hono's fetch handler for requests and the room WebSocket for
 * upgrades on the same port. Owns listening and an orderly close (sockets first, then the port).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AppEnv } from './app-env.ts';
import { BodilessResponse } from './bodiless-response.ts';
/** anything that may take a WebSocket upgrade: returns false when the path is not its own */
export interface UpgradeHandler {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): void;
}

export interface RunningServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function listen(app: Hono<AppEnv>, upgrades: readonly UpgradeHandler[], host: string, port: number): Promise<RunningServer> {
  const server = createAdaptorServer({ fetch: app.fetch, serverOptions: { ServerResponse: BodilessResponse } }) as Server;
  server.on('upgrade', (req, socket, head) => {
    if (!upgrades.some((u) => u.handleUpgrade(req, socket, head))) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // a join storm fills the default 511-entry accept queue while CPU is still free: joiners would wait for SYN retries
    server.listen({ port, host, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const u of upgrades) u.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
