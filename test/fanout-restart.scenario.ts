/**
 * @module test/fanout-restart.scenario — the exactly-once promise of the go-live fan-out, tested as a
 * crash: the real server runs as a child process, a host with thousands of followers (some holding a
 * reminder, some frequent listeners) goes live, the process is killed with SIGKILL while the paced job
 * is half done, a new process starts on the same data, and every recipient ends up with exactly one
 * notification, nobody else with any. Written once, run on one node on SQLite and on PostgreSQL, and on
 * a cluster of processes (an origin and two edges on NATS and PostgreSQL), where all three work the job
 * in turns and all three are killed at once mid-job, then started again.
 */
import { describe, expect, it } from 'vitest';
import { ApiClient } from './support/amphi-server.ts';

/** the servers of one life: one process, or a cluster's three */
export interface RestartServers {
  /** where the host's calls go */
  readonly url: string;
  /** SIGKILL of every process at once: no shutdown code runs, as in a crash */
  crash(): Promise<void>;
  /** an orderly stop (the end of the test) */
  stop(): Promise<void>;
}

export interface RestartTarget {
  /**
   * starts the servers on the target's data (again after a crash); `env` is what the scenario sets for
   * every process, `notifyRate` the notices per second the whole target may send (a cluster splits it)
   */
  start(env: Record<string, string>, notifyRate: number): Promise<RestartServers>;
  seed(hostId: string, roomId: string, followers: number): Promise<void>;
  /** per-user count of this room's room_live notifications */
  counts(roomId: string): Promise<Map<string, number>>;
}

interface Progress {
  notified: number;
  total: number;
  phase: string;
  done: boolean;
}

const FOLLOWERS = 6_000;
/** 3,000 notices/s: the job takes about two seconds, so there is time to kill it in the middle */
const RATE = 3000;

export function runFanoutRestart(name: string, target: () => Promise<RestartTarget>): void {
  describe(`go-live fan-out across a crash (${name})`, () => {
    it('a server killed with SIGKILL mid fan-out resumes after restart: every follower notified exactly once', async () => {
      const t = await target();
      const env = { AMPHI_SECRET: 'restart-test-secret-restart-test-secret' };
      let first: RestartServers | null = await t.start(env, RATE);
      let second: RestartServers | null = null;
      try {
        const host = new ApiClient(first.url);
        const hostId = await host.signUp('bighost');
        const room = await host.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Launch night' });
        const roomId = room.body.room.id;
        await t.seed(hostId, roomId, FOLLOWERS);
        expect((await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'goLive' })).status).toBe(200);

        const progress = async (api: ApiClient) => (await api.call<Progress>('GET', `/api/rooms/${roomId}/notices`)).body;
        let seen: Progress = await progress(host);
        // poll until the job is between its first and its last batch, then crash the process
        while (!(seen.notified >= 500 && seen.notified < FOLLOWERS - 1_000)) {
          if (seen.done) throw new Error(`the fan-out finished before it could be killed: ${JSON.stringify(seen)}`);
          await new Promise((r) => setTimeout(r, 15));
          seen = await progress(host);
        }
        await first.crash();
        first = null;
        const atKill = await t.counts(roomId);
        expect(atKill.size).toBeGreaterThan(0);
        expect(atKill.size).toBeLessThan(FOLLOWERS);

        second = await t.start(env, RATE);
        const again = new ApiClient(second.url);
        again.cookie = host.cookie;
        let after = await progress(again);
        while (!after.done) {
          await new Promise((r) => setTimeout(r, 50));
          after = await progress(again);
        }
        const counts = await t.counts(roomId);
        const twice = [...counts].filter(([, n]) => n !== 1);
        expect(twice).toEqual([]);
        expect(counts.size).toBe(FOLLOWERS);
        expect(counts.has(hostId)).toBe(false);
        expect(after).toMatchObject({ phase: 'done', notified: FOLLOWERS, total: FOLLOWERS });
        console.info(`[${name}] killed at ${atKill.size} of ${FOLLOWERS} notified (phase ${seen.phase}); after restart ${counts.size} recipients, each exactly once`);
      } finally {
        await first?.crash();
        await second?.stop();
      }
    }, 120_000);
  });
}
