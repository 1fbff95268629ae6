/**
 * @module test/support/amphi-server — starts the real Amphi server for a test: port 0, a fresh data
 * directory (SQLite) or an isolated PostgreSQL schema, logs silenced. Also a tiny HTTP client that keeps
 * a session cookie per person, as a browser would, and sends the same-origin header; it records every
 * answer for the OpenAPI contract check (api-contract.setup.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.ts';
import { loadNotifyConfig } from '../../src/config-notify.ts';
import { startAmphi, type Amphi, type StartOptions } from '../../src/main.ts';
import { recordResponse } from './api-recorder.ts';

export interface TestServer extends Amphi {
  readonly dataDir: string;
  /** stop the server and delete its data */
  dispose(): Promise<void>;
}

export async function startTestServer(
  opts: StartOptions & { dataDir?: string; databaseUrl?: string; env?: Record<string, string> } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'amphi-test-'));
  const config = loadConfig({
    AMPHI_PORT: '0',
    AMPHI_DATA_DIR: dataDir,
    AMPHI_DATABASE_URL: opts.databaseUrl ?? '',
    AMPHI_LOG_LEVEL: 'silent',
    // every test person signs up from 127.0.0.1; the sign-up limit has a test of its own
    AMPHI_SIGNUPS_PER_HOUR: '1000000',
    // tests share two busy cores: a slow event loop must not hold test listeners in line (admission has its own test)
    AMPHI_MAX_LAG_MS: '60000',
    ...opts.env,
  });
  const notify = loadNotifyConfig({ ...opts.env });
  const amphi = await startAmphi(config, { notify, log: pino({ level: process.env['AMPHI_TEST_LOG'] ?? 'silent' }), autoTick: false, ...opts });
  return {
    ...amphi,
    url: amphi.url,
    port: amphi.port,
    store: amphi.store,
    clock: amphi.clock,
    close: () => amphi.close(),
    dataDir,
    dispose: async () => {
      await amphi.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** one person's browser: remembers the session cookie */
export class ApiClient {
  cookie: string | null = null;
  constructor(readonly base: string) {}

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const res = await fetch(this.base + path, {
      method,
      headers: {
        origin: this.base,
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(this.cookie && { cookie: this.cookie }),
        ...headers,
      },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const set = res.headers.get('set-cookie');
    if (set) {
      const pair = set.split(';')[0] ?? '';
      this.cookie = pair.endsWith('=') ? null : pair;
    }
    const text = await res.text();
    recordResponse(method, path, res.status, res.headers.get('content-type'), text);
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // not JSON (metrics, html): keep the text
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  /** signs up a new account and keeps its session; returns the user id */
  async signUp(handle: string, password = 'a good long password'): Promise<string> {
    const r = await this.call<{ user: { id: string } }>('POST', '/api/accounts', { handle, displayName: handle.toUpperCase(), password });
    if (r.status !== 201) throw new Error(`sign up ${handle} failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.user.id;
  }
}
