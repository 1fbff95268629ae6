/**
 * @module test/support/front-proxy — the front of a cluster as tests need it: one TCP address that
 * spreads connections over the nodes' app ports round-robin and skips a node that refuses (is dead),
 * as nginx's `proxy_next_upstream error` does in docs/operations.md. It works below HTTP, so pages,
 * API calls and WebSocket upgrades all pass unchanged. Test code only.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface FrontProxy {
  readonly url: string;
  readonly port: number;
  /** the backends, as host:port of each node's app port; may change while running */
  backends: string[];
  close(): Promise<void>;
}

function dial(backend: string): Promise<Socket> {
  const [host, port] = backend.split(':');
  return new Promise((resolve, reject) => {
    const s = connect(Number(port), host ?? '127.0.0.1');
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

export async function startFrontProxy(backends: string[], port = 0): Promise<FrontProxy> {
  const open = new Set<Socket>();
  let next = 0;
  const server: Server = createServer((client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.pause();
    void (async () => {
      const list = proxy.backends;
      for (let i = 0; i < list.length; i += 1) {
        const backend = list[(next + i) % list.length];
        if (backend === undefined) continue;
        try {
          const up = await dial(backend);
          next = (next + i + 1) % list.length;
          open.add(up);
          up.once('close', () => {
            open.delete(up);
            client.destroy();
          });
          client.once('close', () => up.destroy());
          up.on('error', () => client.destroy());
          client.on('error', () => up.destroy());
          client.pipe(up);
          up.pipe(client);
          client.resume();
          return;
        } catch {
          // that node is down: the next one
        }
      }
      client.destroy();
    })();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const addr = server.address();
  const bound = typeof addr === 'object' && addr !== null ? addr.port : 0;
  const proxy: FrontProxy = {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    backends,
    close: async () => {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
