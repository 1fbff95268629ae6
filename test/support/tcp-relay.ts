/**
 * @module test/support/tcp-relay — a TCP relay a test puts between a client and its server (NATS,
 * PostgreSQL) to break the network on purpose, for that client alone. `cut` resets every connection
 * and refuses new ones (the server gone, a firewall rejecting); `stall` lets nothing through either
 * way while the connections stay open (a partition: the client hears nothing and must time out);
 * `mend` lets new connections through again, and resets those that lived through a stall (their bytes
 * were dropped, so their streams cannot go on). Test code only.
 */
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

type Mode = 'open' | 'cut' | 'stall';

/** one client connection and its upstream (none for a connection accepted while stalled) */
interface Pair {
  readonly client: Socket;
  upstream: Socket | null;
  /** lived through a stall: reset at the mend */
  stalled: boolean;
}

export class TcpRelay {
  #mode: Mode = 'open';
  readonly #pairs = new Set<Pair>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** listens on 127.0.0.1 at a free port and relays to `targetPort` */
  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpRelay> {
    let relay: TcpRelay | null = null;
    // no connection can arrive before listen resolves, and relay is set right after it
    const server = createServer((client) => (relay === null ? client.destroy() : relay.#accept(client, targetPort, targetHost)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    relay = new TcpRelay(server, (server.address() as AddressInfo).port);
    return relay;
  }

  get mode(): Mode {
    return this.#mode;
  }

  cut(): void {
    this.#mode = 'cut';
    for (const p of [...this.#pairs]) this.#drop(p);
  }

  stall(): void {
    this.#mode = 'stall';
    for (const p of this.#pairs) p.stalled = true;
  }

  mend(): void {
    this.#mode = 'open';
    for (const p of [...this.#pairs]) if (p.stalled) this.#drop(p);
  }

  async close(): Promise<void> {
    for (const p of [...this.#pairs]) this.#drop(p);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #accept(client: Socket, targetPort: number, targetHost: string): void {
    if (this.#mode === 'cut') return void client.destroy();
    const pair: Pair = { client, upstream: null, stalled: this.#mode === 'stall' };
    this.#pairs.add(pair);
    client.on('error', () => this.#drop(pair));
    // while stalled a close does not cross the network either: both ends go at the mend
    client.on('close', () => pair.stalled || this.#drop(pair));
    if (pair.stalled) return;
    const upstream = connect(targetPort, targetHost);
    pair.upstream = upstream;
    upstream.on('error', () => this.#drop(pair));
    upstream.on('close', () => pair.stalled || this.#drop(pair));
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      from.on('data', (chunk: Buffer) => {
        if (!pair.stalled) to.write(chunk);
      });
    }
  }

  #drop(pair: Pair): void {
    this.#pairs.delete(pair);
    pair.client.destroy();
    pair.upstream?.destroy();
  }
}
