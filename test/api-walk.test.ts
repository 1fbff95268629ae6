/**
 * @module test/api-walk — keeps docs/api.md true. Runs the page's `# walk:` shell blocks for real, with
 * bash and curl, against a fresh server on port 0, and checks each step's HTTP status (from the block's
 * "answers NNN") and its output against the shortened answer printed after it in the page. Also checks
 * that the page's tables name every route, error code (with its status), room action and WebSocket
 * message the code has, and that the room WebSocket greets and notifies as the page says. Needs only
 * bash, curl and node; never jq.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { API_ROUTES } from '../src/protocol/api-routes.ts';
import { RoomActionBody } from '../src/protocol/api-schemas.ts';
import { ClientMessage, NOTICES, type ServerMessage } from '../src/protocol/api-views.ts';
import { STATUS_OF } from '../src/transport/error-status.ts';
import { ApiClient, startTestServer, type TestServer } from './support/amphi-server.ts';
import { startRecordingProxy, type RecordingProxy } from './support/recording-proxy.ts';

const DOC = readFileSync(fileURLToPath(new URL('../docs/api.md', import.meta.url)), 'utf8');

interface Fence {
  readonly lang: string;
  readonly text: string;
}

/** the fenced code blocks of a markdown text, in order */
function fences(markdown: string): Fence[] {
  const out: Fence[] = [];
  const re = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (const m of markdown.matchAll(re)) out.push({ lang: m[1] ?? '', text: m[2] ?? '' });
  return out;
}

interface WalkStep {
  readonly title: string;
  readonly script: string;
  /** null: the step runs no request */
  readonly status: number | null;
  readonly expected: Fence | null;
}

const WALK_MARK = /^# walk: (.+?)(?: — answers (\d{3}))?$/;

function walkSteps(markdown: string): WalkStep[] {
  const all = fences(markdown);
  const steps: WalkStep[] = [];
  all.forEach((f, i) => {
    const m = f.lang === 'sh' ? WALK_MARK.exec(f.text.split('\n')[0] ?? '') : null;
    if (!m || !m[1]) return;
    const next = all[i + 1];
    steps.push({
      title: m[1],
      script: f.text,
      status: m[2] === undefined ? null : Number(m[2]),
      expected: next && (next.lang === 'json' || next.lang === 'text') ? next : null,
    });
  });
  return steps;
}

/** the string "…" in the page stands for any value; objects may leave fields out; arrays are complete */
function mismatches(expected: unknown, actual: unknown, path = '$'): string[] {
  if (expected === '…') return actual === undefined ? [`${path}: missing`] : [];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${JSON.stringify(actual)}`];
    if (actual.length !== expected.length) return [`${path}: expected ${expected.length} items, got ${actual.length}`];
    return expected.flatMap((e, i) => mismatches(e, actual[i], `${path}[${i}]`));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    const a = actual as Record<string, unknown>;
    return Object.entries(expected).flatMap(([k, v]) => (k in a ? mismatches(v, a[k], `${path}.${k}`) : [`${path}.${k}: missing`]));
  }
  return Object.is(expected, actual) ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** async on purpose: the server under test lives in this process, so a blocking spawn would starve it */
function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** splits a stream on the `@@step N` lines the runner prints before each step */
function perStep(stream: string, count: number): string[] {
  const parts = stream.split(/\n?@@step \d+\n/);
  // parts[0] is whatever came before the first marker (nothing)
  return Array.from({ length: count }, (_, i) => parts[i + 1] ?? '');
}

describe('the walk in docs/api.md', () => {
  const steps = walkSteps(DOC);
  let server: TestServer;
  let proxy: RecordingProxy;
  let work: string;
  let run: Run;

  beforeAll(async () => {
    server = await startTestServer();
    // curl talks to the server through a proxy that records each answer for the OpenAPI contract check
    proxy = await startRecordingProxy(server.url);
    work = mkdtempSync(join(tmpdir(), 'amphi-walk-'));
    // curl reads $CURL_HOME/.curlrc: it reports each request's status on stderr without touching the
    // page's commands or their stdout (which pipes into tee and node)
    writeFileSync(join(work, '.curlrc'), 'write-out = "%{stderr}@@status %{http_code}\\n"\n');
    const script = ['set -euo pipefail', ...steps.map((s, i) => `printf '\\n@@step ${i}\\n'; printf '\\n@@step ${i}\\n' >&2\n${s.script}`)].join('\n');
    run = await bash(script, work, {
      PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
      AMPHI: proxy.url,
      CURL_HOME: work,
      TMPDIR: work,
      HOME: work,
      LANG: 'C.UTF-8',
    });
  });

  afterAll(async () => {
    await proxy?.close();
    await server?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('covers the whole story from sign-up to the end of the room', () => {
    const titles = steps.map((s) => s.title);
    const story = ['Alice signs up', 'Alice creates a room', 'Bob signs up', 'Alice invites Bob', 'Bob accepts', 'Bob unmutes', 'Alice mutes Bob', 'Alice goes live', 'list live rooms', 'Alice ends the room'];
    expect(titles.filter((t) => story.includes(t))).toEqual(story);
  });

  it('runs every step to the end without a failing command', () => {
    expect(run.code, `bash stderr:\n${run.stderr}`).toBe(0);
  });

  it('answers each step with the status the page states', () => {
    const errs = perStep(run.stderr, steps.length);
    const got = steps.map((s, i) => ({ step: s.title, statuses: [...(errs[i] ?? '').matchAll(/^@@status (\d{3})$/gm)].map((m) => Number(m[1])) }));
    expect(got).toEqual(steps.map((s) => ({ step: s.title, statuses: s.status === null ? [] : [s.status] })));
  });

  it('prints for each step the answer the page shows', () => {
    const outs = perStep(run.stdout, steps.length);
    const problems = steps.flatMap((s, i) => {
      const out = (outs[i] ?? '').trim();
      if (s.expected === null) return [];
      if (s.expected.lang === 'text') {
        return out === s.expected.text.trim() ? [] : [`${s.title}: expected ${JSON.stringify(s.expected.text.trim())}, got ${JSON.stringify(out)}`];
      }
      let actual: unknown;
      try {
        actual = JSON.parse(out);
      } catch {
        return [`${s.title}: not JSON: ${JSON.stringify(out.slice(0, 200))}`];
      }
      return mismatches(JSON.parse(s.expected.text), actual).map((m) => `${s.title}: ${m}`);
    });
    expect(problems).toEqual([]);
    expect(steps.filter((s) => s.expected !== null).length).toBeGreaterThanOrEqual(12);
  });
});

describe('the reference tables in docs/api.md', () => {
  const rows = (firstCell: RegExp) => [...DOC.matchAll(new RegExp(`^\\| ${firstCell.source} \\|(.*)$`, 'gm'))];

  it('lists every route of the route table, and no other', () => {
    const listed = rows(/`(GET|POST|PUT|PATCH|DELETE) (\/api\/[^`]*)`/).map((m) => `${m[1]} ${m[2]}`);
    const routes = Object.values(API_ROUTES).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect([...listed].sort()).toEqual([...routes].sort());
  });

  it('lists every error code with the status the server answers, and no other', () => {
    const listed = Object.fromEntries(rows(/`([a-z_]+)`/).flatMap((m) => (/^ \d{3} \|$/.test(m[2] ?? '') ? [[m[1], Number(m[2]?.slice(1, 4))]] : [])));
    expect(listed).toEqual({ ...STATUS_OF });
  });

  it('lists every room action type, and no other', () => {
    const section = DOC.slice(DOC.indexOf('## Room actions'), DOC.indexOf('## A walk'));
    const listed = [...section.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    expect(listed).toEqual(RoomActionBody.options.map((o) => o.shape.type.value));
  });

  it('describes every WebSocket message type and notice', () => {
    const serverTypes = ['state', 'tick', 'me', 'hands', 'notice', 'ack', 'pong', 'error', 'rtcAnswer', 'rtcCandidate', 'rtcSlot', 'rtcRestart', 'rtcConfig', 'stageNetwork'] as const;
    // a compile error here means ServerMessage gained a type this test (and the page) do not know
    const exhaustive: [Exclude<ServerMessage['type'], (typeof serverTypes)[number]>] extends [never] ? true : false = true;
    expect(exhaustive).toBe(true);
    const section = DOC.slice(DOC.indexOf('## The room WebSocket'), DOC.indexOf('## Health and metrics'));
    const firstCells = [...section.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    expect(firstCells).toEqual([...serverTypes, ...ClientMessage.options.map((o) => o.shape.type.value)]);
    for (const n of NOTICES) expect(section).toContain(`\`${n}\``);
  });
});

describe('the room WebSocket as docs/api.md describes it', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  type Msg = Record<string, unknown>;
  /** a socket that records every message and can wait for one, without sleeping */
  function open(url: string, origin: string, cookie: string | null) {
    const seen: Msg[] = [];
    const waiters: { want: (m: Msg) => boolean; done: (m: Msg) => void }[] = [];
    const ws = new WebSocket(url, { headers: { origin, ...(cookie && { cookie }) } });
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString('utf8')) as Msg;
      seen.push(msg);
      for (const w of waiters.splice(0)) (w.want(msg) ? w.done(msg) : waiters.push(w));
    });
    const next = (want: (m: Msg) => boolean) =>
      new Promise<Msg>((done) => {
        const found = seen.find(want);
        if (found) done(found);
        else waiters.push({ want, done });
      });
    return { ws, seen, next };
  }

  it('greets a host with state, me and hands, a listener with state and me, and notifies an invitation', async () => {
    const alice = new ApiClient(server.url);
    const bob = new ApiClient(server.url);
    await alice.signUp('alice');
    const bobId = await bob.signUp('bob');
    const created = await alice.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Sockets' });
    const wsUrl = `${server.url.replace(/^http/, 'ws')}/api/rooms/${created.body.room.id}/ws`;
    const host = open(wsUrl, server.url, alice.cookie);
    await host.next((m) => m['type'] === 'hands');
    // the greeting comes first, in this order; later pushes (the host's own arrival) may follow it
    expect(host.seen.slice(0, 3).map((m) => m['type'])).toEqual(['state', 'me', 'hands']);
    expect(host.seen[1]).toMatchObject({ me: { role: 'host', signedIn: true } });
    const listener = open(wsUrl, server.url, bob.cookie);
    await listener.next((m) => m['type'] === 'me');
    expect(listener.seen.slice(0, 2).map((m) => m['type'])).toEqual(['state', 'me']);
    const invited = await alice.call('POST', `/api/rooms/${created.body.room.id}/actions`, { type: 'invite', target: bobId });
    expect(invited.status).toBe(200);
    expect(await listener.next((m) => m['type'] === 'notice')).toMatchObject({ notice: 'invited', by: { handle: 'alice' } });
    listener.ws.send(JSON.stringify({ type: 'action', ref: '7', action: { type: 'acceptInvite' } }));
    expect(await listener.next((m) => m['type'] === 'ack')).toEqual({ type: 'ack', ref: '7' });
    listener.ws.send(JSON.stringify({ type: 'action', ref: '8', action: { type: 'end' } }));
    expect(await listener.next((m) => m['type'] === 'error')).toMatchObject({ ref: '8', code: 'not_a_host' });
    listener.ws.send(JSON.stringify({ type: 'ping', ref: 'p1' }));
    expect(await listener.next((m) => m['type'] === 'pong')).toEqual({ type: 'pong', ref: 'p1' });
    host.ws.close();
    listener.ws.close();
  });
});
