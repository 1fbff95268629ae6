/**
 * @module test/fuzz-http — fuzzes Amphi's HTTP API with fast-check against the real server, on SQLite
 * and on PostgreSQL (the stores once disagreed about a NUL: a 500 on one, stored on the other):
 * every route of API_ROUTES with real and random room ids and handles, random paths and methods, with
 * and without a session, with our own, a foreign or no Origin; bodies that are room actions with random
 * values, other API bodies, any JSON, random bytes, truncated or deeply nested JSON and bodies over the
 * 64 KiB limit. Every answer must be below 500, every refusal a JSON error with a code and a message,
 * and a refused request must leave every row of every table as it was (but the count of failed sign-ins);
 * no accepted one may store text the text rule refuses. No unhandled rejection may fire.
 *
 * Runs: 900 action requests + 700 route requests + 400 raw-body requests + 300 random-path requests
 * = 2,300 requests per store per `vitest run` (new seeds each time; a failure prints its seed and path).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from './support/amphi-server.ts';
import { startCast, PERSONAS, type Cast } from './support/fuzz-cast.ts';
import { requestArbs, resolve, type FuzzRequest, type RequestArbs } from './support/fuzz-http-requests.ts';
import { STORE_KINDS, storeServers } from './support/store-servers.ts';
import { findTextFault } from '../src/protocol/text-rule.ts';

const RUNS = { actions: 900, routes: 700, raw: 400, paths: 300 } as const;
/** a property's runs take ~10-30 s on two shared cores, PostgreSQL slower than SQLite */
const FUZZ_TIMEOUT_MS = 180_000;
/** rooms are rebuilt this often, so fuzzing that ends or empties them does not stop the exploration */
const REFRESH_EVERY = 100;

describe.each(STORE_KINDS)('on %s', async (kind) => {
  const servers = await storeServers(kind, 'fuzz');

  let cast: Cast;
  let arbs: RequestArbs;
  const spares: string[] = [];
  const troubles: unknown[] = [];
  const onRejection = (reason: unknown) => troubles.push(reason);
  const onException = (err: unknown) => troubles.push(err);
  let lastSnapshot: Record<string, unknown[]> | null = null;
  let sent = 0;
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    if (!servers.available) return;
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtExceptionMonitor', onException);
    cast = await startCast({ start: () => servers.start() });
    // a throwaway account with a dozen sessions: fuzzed sign-outs spend these, never a persona's
    const spare = new ApiClient(cast.server.url);
    const spareHandle = `spare_${Math.random().toString(36).slice(2, 7)}`;
    await spare.signUp(spareHandle);
    for (let i = 0; i < 12; i++) {
      const r = await spare.call('POST', '/api/sessions', { handle: spareHandle, password: 'a good long password' });
      if (r.status !== 200 || spare.cookie === null) throw new Error(`spare sign-in failed: ${r.status}`);
      spares.push(spare.cookie);
    }
    const ids = PERSONAS.map((p) => cast.people[p].id);
    arbs = requestArbs(ids, PERSONAS.map((p) => cast.people[p].handle));
  });

  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtExceptionMonitor', onException);
    await cast?.dispose();
    await servers.cleanUp();
  });

  /** the host unblocks everyone (fuzzing may have blocked the cast), then new rooms are made */
  async function refreshRooms(): Promise<void> {
    const host = cast.people.host.client;
    for (const p of PERSONAS) if (p !== 'host') await host.call('DELETE', `/api/users/${cast.people[p].handle}/block`);
    await cast.refresh();
    lastSnapshot = null;
  }

  function isErrorBody(v: unknown): v is { error: { code: string; message: string } } {
    if (typeof v !== 'object' || v === null || !('error' in v)) return false;
    const e = v.error;
    return typeof e === 'object' && e !== null && 'code' in e && 'message' in e && typeof e.code === 'string' && e.code.length > 0 && typeof e.message === 'string' && e.message.length > 0;
  }

  /** the first stored string (JSON columns read inside) that breaks the text rule, or null */
  function storedTextFault(snapshot: Record<string, unknown[]>): string | null {
    const strings: string[] = [];
    const collect = (v: unknown): void => {
      if (typeof v === 'string') {
        strings.push(v);
        if (v.startsWith('{') || v.startsWith('[')) {
          try {
            collect(JSON.parse(v));
          } catch {
            // not JSON after all: the string itself was collected
          }
        }
      } else if (Array.isArray(v)) v.forEach(collect);
      else if (typeof v === 'object' && v !== null) Object.values(v).forEach(collect);
    };
    collect(snapshot);
    for (const s of strings) {
      const fault = findTextFault(s);
      if (fault !== null) return `${JSON.stringify(s.slice(0, 80))} ${fault.fault}`;
    }
    return null;
  }

  async function firstChunk(res: Response): Promise<string> {
    const reader = res.body?.getReader();
    const first = await reader?.read();
    await reader?.cancel();
    return first?.value ? Buffer.from(first.value).toString('utf8') : '';
  }

  /** going live (the cast's rooms, or a fuzzed goLive) sends notices in the background, which writes to the store */
  const fanoutRunning = (snap: Record<string, unknown[]>) => (snap['fanout_jobs'] ?? []).some((j) => (j as { phase: string }).phase !== 'done');

  /**
   * the store once an accepted request's background work is over: no notice being sent, and nothing
   * changed for 30 ms (e.g. a speaker accepted onstage without a socket is marked disconnected right
   * after). PostgreSQL is slow enough for that work to overlap the next request.
   */
  async function settledSnapshot(): Promise<Record<string, unknown[]>> {
    let last = await cast.server.store.snapshot();
    for (let i = 0; i < 200; i++) {
      await new Promise((r) => setTimeout(r, 30));
      const snap = await cast.server.store.snapshot();
      if (!fanoutRunning(snap) && JSON.stringify(snap) === JSON.stringify(last)) return snap;
      last = snap;
    }
    return last;
  }

  /** sends one fuzzed request and checks the three promises about its answer */
  async function check(req: FuzzRequest): Promise<void> {
    if (sent > 0 && sent % REFRESH_EVERY === 0) await refreshRooms();
    sent++;
    const before = lastSnapshot ?? (await settledSnapshot());
    const r = resolve(cast, req, () => spares.pop() ?? null);
    const res = await fetch(cast.server.url + r.path, { method: r.method, headers: r.headers, ...(r.body !== undefined && { body: r.body }) });
    // an event stream (GET /api/me/events) never ends by itself: its first event is the answer
    const text = res.headers.get('content-type')?.startsWith('text/event-stream') ? await firstChunk(res) : await res.text();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    const after = await cast.server.store.snapshot();
    // after an accepted request, the next one compares against the store once its background work is done
    lastSnapshot = res.status < 400 ? null : after;
    const what = `${r.method} ${r.path} -> ${res.status} ${text.slice(0, 300)}`;
    expect(res.status, what).toBeLessThan(500);
    // a refused request must change nothing (below), so only an accepted one can store text
    if (res.status < 400) expect(storedTextFault(after), `text Amphi refuses got stored: ${what}`).toBeNull();
    if (res.status >= 400) {
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        // left null: the assertion below names the request
      }
      expect(isErrorBody(body), `not a JSON error body: ${what}`).toBe(true);
      // a failed sign-in is counted on purpose (control/sign-in-guard.ts): that table alone may move
      const { sign_in_attempts: _countedAfter, ...keptAfter } = after;
      const { sign_in_attempts: _countedBefore, ...keptBefore } = before;
      expect(keptAfter, `a refused request changed the store: ${what}`).toEqual(keptBefore);
    }
  }

  describe.skipIf(!servers.available)('fuzzing the HTTP API', () => {
    it('answers room actions with random values below 500, and a refused one changes nothing stored', async () => {
      await fc.assert(fc.asyncProperty(arbs.actions, check), { numRuns: RUNS.actions });
    }, FUZZ_TIMEOUT_MS);

    it('answers every route with random bodies below 500, and a refused one changes nothing stored', async () => {
      await fc.assert(fc.asyncProperty(arbs.routes, check), { numRuns: RUNS.routes });
    }, FUZZ_TIMEOUT_MS);

    it('answers bytes, truncated or deeply nested JSON and oversized bodies with a JSON error and no change', async () => {
      await fc.assert(fc.asyncProperty(arbs.raw, check), { numRuns: RUNS.raw });
    }, FUZZ_TIMEOUT_MS);

    it('answers random paths and methods below 500 with a JSON error body when refused', async () => {
      await fc.assert(fc.asyncProperty(arbs.paths, check), { numRuns: RUNS.paths });
    }, FUZZ_TIMEOUT_MS);

    it('is still healthy afterwards, every persona still signed in, and no promise was left rejected', async () => {
      expect((await fetch(`${cast.server.url}/healthz`)).status).toBe(200);
      for (const p of PERSONAS) expect((await cast.people[p].client.call('GET', '/api/me')).status, p).toBe(200);
      expect(troubles).toEqual([]);
      // the run explored both sides: some requests were accepted and many refused
      const accepted = [...statuses].filter(([s]) => s < 300).reduce((n, [, c]) => n + c, 0);
      expect(accepted).toBeGreaterThan(50);
      expect(sent - accepted).toBeGreaterThan(500);
    });
  });
});
