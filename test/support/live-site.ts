/**
 * @module test/support/live-site — where a room scenario runs, as the scenario sees it: one node, or a
 * cluster whose nodes the scenario's people are spread over. A scenario never names a node's role; it
 * says "node i" (`url(i)`): on one node every i is that node, on a cluster node 0 is the origin (where
 * the host is) and 1, 2 are its edges, so the same lines prove a single node and cross-node behaviour.
 * Time is the scenario's (`now`); `tick()` steps every node's room clock once and, on a cluster, lets
 * what the nodes sent each other arrive first and after, so a scenario never sleeps. Test code only.
 */
import type { Store } from '../../src/store/types.ts';
import { startTestServer, type TestServer } from './amphi-server.ts';

export interface LiveSite {
  /** 1 for a single node, 3 for a cluster */
  readonly size: number;
  /** the app address of node `i` (taken modulo `size`): node 0 holds the host (a cluster's origin) */
  url(i: number): string;
  /** the database the nodes share, to read what they wrote */
  readonly store: Store;
  /** one tick of the room clock on every node, the origin first; on a cluster what the nodes sent each other is delivered before and after it */
  tick(): Promise<void>;
  /** resolves once every node shows `n` listeners in the room (a cluster sums the nodes' per-second reports) */
  counted(roomId: string, n: number): Promise<void>;
  /** stops every node in order and starts each again on the same data; this site is closed by it */
  restart(): Promise<LiveSite>;
  close(): Promise<void>;
}

/** opens a fresh site (a new empty database) on the scenario's clock */
export type OpenSite = (now: () => number) => Promise<LiveSite>;

/** the room's listener count as node `url` shows it */
export async function shownCount(url: string, roomId: string): Promise<number> {
  const res = await fetch(`${url}/api/rooms/${roomId}`);
  const body = (await res.json()) as { room?: { listenerCount?: number } };
  return body.room?.listenerCount ?? -1;
}

/** waits (polling, up to `ms`) until every one of `urls` shows `n` listeners in the room */
export async function untilCounted(urls: readonly string[], roomId: string, n: number, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const shown = await Promise.all(urls.map((u) => shownCount(u, roomId)));
    if (shown.every((c) => c === n)) return;
    if (Date.now() > deadline) throw new Error(`the nodes show ${shown.join(', ')} listeners, not ${n} each`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * a single node on a store the caller opens: `open(false)` a new empty one, `open(true)` the same
 * database again (a restart keeps the data directory too)
 */
export function oneNodeSite(open: (reopen: boolean) => Promise<Store>): OpenSite {
  const start = async (now: () => number, reopen: boolean, dataDir?: string): Promise<LiveSite> => {
    const s: TestServer = await startTestServer({ store: await open(reopen), now, ...(dataDir !== undefined && { dataDir }) });
    return {
      size: 1,
      url: () => s.url,
      store: s.store,
      tick: () => s.clock.tick(),
      counted: (roomId, n) => untilCounted([s.url], roomId, n),
      restart: async () => {
        await s.close();
        return start(now, true, s.dataDir);
      },
      close: () => s.close(),
    };
  };
  return (now) => start(now, false);
}
