/**
 * @module bench/ports — loopback ports for the servers a bench starts itself (icecast2, Janus,
 * nats-server): one the kernel says is free right now, and whether something accepts connections on
 * one yet. Only ever 127.0.0.1; it never binds a port for longer than the question takes.
 */
import { connect, createServer } from 'node:net';

/** a TCP port free on 127.0.0.1 right now (the kernel picks it; the server binds it moments later) */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      s.close(() => (port > 0 ? resolve(port) : reject(new Error('the kernel gave no free port'))));
    });
  });
}

/** true when something accepts TCP connections on 127.0.0.1:port */
export function acceptsTcp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
