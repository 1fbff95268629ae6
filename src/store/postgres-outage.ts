/**
 * @module store/postgres-outage — how the PostgreSQL store meets a database it cannot reach. It sits
 * between Kysely and pg's Pool (`OutageGuardedPool`), so every query of every store method, `notify` and
 * `leases` included, passes one place: a failure that means "the server is out of reach" (refused,
 * reset, timed out, SQLSTATE class 08, 57P01-57P03, 53300, pg's "Connection terminated") becomes
 * `StoreError('unavailable')` with a sentence a person understands; each query gets a read timeout, so
 * a partitioned server fails a request in seconds instead of hanging it; a connection that lost the
 * server once is never trusted again (it is destroyed on release: the server rolls back whatever it
 * held open). `OutageWatch` reports an outage once when it starts and once when it ends, never per
 * query. Must never put a password in a message and never retry a write (a retried COMMIT could apply
 * twice).
 */
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';
import { errorCode } from './kysely-store.ts';
import { StoreError } from './types.ts';

/** what the store reports: once when PostgreSQL goes out of reach, once when it answers again */
export type OutageEvent =
  | { readonly kind: 'lost'; readonly reason: string; readonly message: string }
  | { readonly kind: 'back'; readonly downMs: number; readonly failedCalls: number; readonly message: string };

export interface OutageTimeouts {
  /** how long a new connection (or a free pooled one) may take before the call fails */
  readonly connectMs: number;
  /** how long one query may wait for its answer; 0 = no limit */
  queryMs: number;
}

// Node's socket errors that mean the server cannot be reached
const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'the connection was refused (is PostgreSQL running?)',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was broken',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'there is no route to its host',
  ENETUNREACH: 'there is no route to its network',
  ENOTFOUND: 'its host name does not resolve',
  EAI_AGAIN: 'its host name does not resolve for now',
};

// PostgreSQL's own words for "I cannot serve you now" (SQLSTATE); class 08 is handled as a whole below
const SERVER_REASONS: Readonly<Record<string, string>> = {
  '57P01': 'the server is shutting down',
  '57P02': 'the server crashed and is restarting',
  '57P03': 'the server is not accepting connections yet (starting up or recovering)',
  // not an outage of the network, but the same answer is right: nothing done, come back shortly
  '53300': 'the server has no connection slot left',
};

/**
 * A readable reason when `error` means PostgreSQL is out of reach, else null (a real SQL error, a bug).
 * pg's own failures carry no code, only these messages (pg 8, pg-pool 3).
 */
export function unreachableReason(error: unknown, t: OutageTimeouts): string | null {
  const code = errorCode(error);
  if (code !== undefined) {
    const reason = NETWORK_REASONS[code] ?? SERVER_REASONS[code];
    if (reason !== undefined) return reason;
    if (/^08[0-9A-Z]{3}$/.test(code)) return `the connection failed (SQLSTATE ${code})`;
  }
  // Node's happy eyeballs (IPv6 then IPv4) fails with every attempt's error inside one
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const reason = unreachableReason(inner, t);
      if (reason !== null) return reason;
    }
  }
  if (!(error instanceof Error)) return null;
  const m = error.message;
  if (m === 'Query read timeout') return `it did not answer within ${seconds(t.queryMs)}`;
  // the first also comes when every pooled connection stays busy that long: overload, which deserves the same answer
  if (m === 'timeout exceeded when trying to connect' || m.startsWith('Connection terminated due to connection timeout')) {
    return `no connection could be had within ${seconds(t.connectMs)}`;
  }
  if (m.startsWith('Connection terminated') || m.includes('is not queryable')) return 'the connection was closed';
  return null;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;

/** Counts failures and reports an outage's start and end once each. */
export class OutageWatch {
  #downSince: number | null = null;
  #backAt = -Infinity;
  #failed = 0;

  constructor(
    private readonly where: string,
    private readonly report: (event: OutageEvent) => void,
    private readonly now: () => number = Date.now,
  ) {}

  get down(): boolean {
    return this.#downSince !== null;
  }

  /**
   * A call started at `startedAt` failed for `reason`. A call older than the last recovery that fails
   * late (a read timeout running out) starts no new outage: the server answered calls since.
   */
  failed(reason: string, startedAt: number): void {
    this.noticed(reason, startedAt);
    if (this.#downSince !== null) this.#failed += 1;
  }

  /** a connection failed with no call on it (an idle pooled one): the outage starts, no call is counted */
  noticed(reason: string, at: number): void {
    if (this.#downSince !== null || at < this.#backAt) return;
    this.#downSince = this.now();
    this.#failed = 0;
    this.report({
      kind: 'lost',
      reason,
      message: `PostgreSQL at ${this.where} is out of reach: ${reason}. Requests that need the database answer 503 until it is back; live audio goes on.`,
    });
  }

  /** the server answered a call started at `startedAt`; only one started after the outage began ends it */
  answered(startedAt: number): void {
    if (this.#downSince === null || startedAt < this.#downSince) return;
    const downMs = this.now() - this.#downSince;
    this.#downSince = null;
    this.#backAt = this.now();
    this.report({
      kind: 'back',
      downMs,
      failedCalls: this.#failed,
      message: `PostgreSQL at ${this.where} answers again after ${seconds(downMs)}; ${this.#failed} database calls failed meanwhile.`,
    });
  }
}

/** what every guarded connection shares */
export interface OutageGuard {
  readonly watch: OutageWatch;
  readonly timeouts: OutageTimeouts;
  readonly where: string;
  readonly now: () => number;
}

/** the error every caller sees */
function unavailable(g: OutageGuard, reason: string, cause: unknown, sql?: string): StoreError {
  // a COMMIT that left before the connection broke may have been applied: say so rather than "nothing happened"
  const inDoubt = sql !== undefined && /^\s*commit\b/i.test(sql) ? ' while committing (the change may or may not have been saved)' : '';
  return new StoreError('unavailable', `PostgreSQL at ${g.where} cannot be reached${inDoubt}: ${reason}`, { cause });
}

/** one pooled connection as Kysely sees it: timed queries, outages translated, broken ones destroyed */
class GuardedClient implements PostgresPoolClient {
  /** why the connection is no longer to be used; set by the first unreachable failure on it */
  #broken: string | null = null;
  /** when it was last given back to the pool: an idle connection found dead says when it was last known good */
  lastUsedAt = 0;
  // a call in flight, if any, gets the failure too and counts it; this only marks the connection and the outage
  readonly #onError = (error: Error): void => {
    const reason = this.#markBroken(error);
    if (reason !== null) this.g.watch.noticed(reason, this.g.now());
  };

  constructor(
    private readonly client: pg.PoolClient,
    private readonly g: OutageGuard,
  ) {}

  checkOut(): void {
    // pg-pool listens only while the client is idle; an error with nobody listening would end the process
    this.client.on('error', this.#onError);
  }

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(what: string | PostgresCursor<R>, parameters: ReadonlyArray<unknown> = []): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    // the dialect is built without a cursor constructor, so Kysely never streams
    if (typeof what !== 'string') throw new TypeError('the store does not stream query results');
    return this.#run<R>(what, parameters);
  }

  release(): void {
    this.lastUsedAt = this.g.now();
    this.client.off('error', this.#onError);
    // a broken connection goes, whatever transaction it held is rolled back by the server when it sees it go
    this.client.release(this.#broken !== null);
  }

  async #run<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
    const startedAt = this.g.now();
    // the rollback after a lost query would only wait out another timeout: fail it at once (nothing was
    // sent, so even a COMMIT is not in doubt)
    if (this.#broken !== null) throw unavailable(this.g, this.#broken, undefined);
    // query_timeout per query (pg reads it from the config object; @types/pg does not declare it)
    const config: pg.QueryConfig<unknown[]> & { query_timeout?: number } = { text: sql, values: [...parameters], query_timeout: this.g.timeouts.queryMs };
    try {
      const res = await this.client.query<R & pg.QueryResultRow>(config);
      this.g.watch.answered(startedAt);
      return { command: res.command as PostgresQueryResult<R>['command'], rowCount: res.rowCount ?? 0, rows: res.rows };
    } catch (error) {
      const reason = this.#markBroken(error);
      if (reason === null) {
        // a SQL error is an answer: the server is there
        this.g.watch.answered(startedAt);
        throw error;
      }
      this.g.watch.failed(reason, startedAt);
      throw unavailable(this.g, reason, error, sql);
    }
  }

  #markBroken(error: unknown): string | null {
    const reason = unreachableReason(error, this.g.timeouts);
    if (reason !== null) this.#broken ??= reason;
    return reason;
  }
}

/** pg's Pool as Kysely's PostgresDialect takes it, with every connection guarded */
export class OutageGuardedPool implements PostgresPool {
  // Kysely keeps its connection objects by the client it was given: one wrapper per pg client, kept
  readonly #clients = new WeakMap<pg.PoolClient, GuardedClient>();
  readonly #g: OutageGuard;

  /** `onIdleError`: an idle connection failed for another reason than the server being out of reach */
  constructor(
    private readonly pool: pg.Pool,
    guard: OutageGuard,
    onIdleError: (error: Error) => void,
  ) {
    this.#g = guard;
    // an idle client's network error lands here; without a listener it would crash the process. One that
    // sat idle through an outage and is found dead after the recovery starts no new outage.
    pool.on('error', (error, client) => {
      const reason = unreachableReason(error, guard.timeouts);
      if (reason === null) onIdleError(error);
      else guard.watch.noticed(reason, this.#clients.get(client)?.lastUsedAt ?? guard.now());
    });
  }

  async connect(): Promise<PostgresPoolClient> {
    const startedAt = this.#g.now();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      const reason = unreachableReason(error, this.#g.timeouts);
      if (reason === null) throw error;
      this.#g.watch.failed(reason, startedAt);
      throw unavailable(this.#g, reason, error);
    }
    let guarded = this.#clients.get(client);
    if (guarded === undefined) {
      guarded = new GuardedClient(client, this.#g);
      this.#clients.set(client, guarded);
    }
    guarded.checkOut();
    return guarded;
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}
