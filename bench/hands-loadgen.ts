/**
 * @module bench/hands-loadgen — the hand-raise storm's load generator, run in a process of its own on
 * the generator core (bench/scenario-hands.ts starts it): seeded accounts raise hands over the public
 * API at a set rate while the host, on the room WebSocket, acts once a second (approve a raised hand,
 * mute them, send them back to the audience); then every remaining hand is lowered as fast as the room
 * answers. It measures only what a client sees (latencies, the host socket's bytes) and prints one
 * JSON line of HandsLoadReport on stdout. It never reads the server's insides.
 */
import WebSocket from 'ws';
import { Histogram, type DelaySummary } from './histogram.ts';

export interface HandsLoadConfig {
  readonly base: string;
  readonly roomId: string;
  /** session cookie values, index = person; `hostCookie` is the host's */
  readonly cookiePrefix: string;
  readonly userIdPrefix: string;
  readonly hostCookie: string;
  readonly hands: number;
  readonly rate: number;
  /** raises in flight at most (past it, the next waits: the backlog shows as lateness) */
  readonly maxInFlight: number;
  /** closed-loop clients lowering hands in the throughput phase */
  readonly lowerConcurrency: number;
}

export interface HandsLoadReport {
  readonly raise: DelaySummary;
  readonly raiseErrors: Readonly<Record<string, number>>;
  /** the storm's length, first raise sent → last answered */
  readonly stormMs: number;
  /** how late the last raise was sent against its schedule (the generator or the server fell behind) */
  readonly raiseLagMs: number;
  readonly hostAction: DelaySummary;
  readonly hostActionErrors: Readonly<Record<string, number>>;
  /** the host's room socket during the storm (first raise → 1 s after the last answer) */
  readonly hostSocket: { readonly messages: number; readonly bytes: number; readonly windowMs: number; readonly largestMessage: number };
  /** the throughput phase: hands lowered, closed loop */
  readonly lower: DelaySummary;
  readonly lowerErrors: Readonly<Record<string, number>>;
  readonly lowerMs: number;
  readonly lowered: number;
}

const cfg = JSON.parse(process.env['HANDS_CONFIG'] ?? '{}') as HandsLoadConfig;

async function act(cookie: string, body: unknown): Promise<{ ms: number; code: string | null }> {
  const t0 = performance.now();
  const res = await fetch(`${cfg.base}/api/rooms/${cfg.roomId}/actions`, {
    method: 'POST',
    headers: { origin: cfg.base, 'content-type': 'application/json', cookie: `amphi_session=${cookie}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.ok) return { ms, code: null };
  let code = `http_${res.status}`;
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string } };
    code = parsed.error?.code ?? code;
  } catch {
    // not JSON: keep the status
  }
  return { ms, code };
}

const count = (into: Record<string, number>, code: string): void => {
  into[code] = (into[code] ?? 0) + 1;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function openHostSocket(): Promise<{ ws: WebSocket; stats: { messages: number; bytes: number; largest: number } }> {
  const stats = { messages: 0, bytes: 0, largest: 0 };
  const ws = new WebSocket(`${cfg.base.replace('http', 'ws')}/api/rooms/${cfg.roomId}/ws`, {
    headers: { origin: cfg.base, cookie: `amphi_session=${cfg.hostCookie}` },
  });
  ws.on('message', (data: Buffer) => {
    stats.messages++;
    stats.bytes += data.length;
    if (data.length > stats.largest) stats.largest = data.length;
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, stats };
}

async function main(): Promise<void> {
  const host = await openHostSocket();
  await sleep(1000);
  const raise = new Histogram(0.5, 60_000);
  const raiseErrors: Record<string, number> = {};
  const hostAction = new Histogram(0.5, 60_000);
  const hostActionErrors: Record<string, number> = {};
  const raised: number[] = [];
  const base = { messages: host.stats.messages, bytes: host.stats.bytes };
  host.stats.largest = 0;

  // the host: once a second, the next step of approve → mute → back to the audience, on someone raised a while ago
  let hostRunning = true;
  const hostLoop = (async () => {
    let step = 0;
    let target = -1;
    while (hostRunning) {
      await sleep(1000);
      if (!hostRunning) break;
      if (step === 0) {
        const candidate = raised[Math.max(0, raised.length - 50)];
        if (candidate === undefined) continue;
        target = candidate;
      }
      const who = `${cfg.userIdPrefix}${target}`;
      const body = step === 0 ? { type: 'approveRequest', target: who } : step === 1 ? { type: 'muteMember', target: who } : { type: 'moveToAudience', target: who };
      const r = await act(cfg.hostCookie, body);
      hostAction.record(r.ms);
      if (r.code !== null) count(hostActionErrors, `${body.type}:${r.code}`);
      step = (step + 1) % 3;
    }
  })();

  // the storm: person i raises at t0 + i / rate
  const t0 = performance.now();
  let next = 0;
  let inFlight = 0;
  let lastLag = 0;
  let answered = 0;
  await new Promise<void>((resolve) => {
    const pump = (): void => {
      const now = performance.now();
      while (next < cfg.hands && inFlight < cfg.maxInFlight && t0 + (next * 1000) / cfg.rate <= now) {
        const i = next++;
        lastLag = now - (t0 + (i * 1000) / cfg.rate);
        inFlight++;
        void act(`${cfg.cookiePrefix}${i}`, { type: 'requestToSpeak' }).then(
          (r) => {
            raise.record(r.ms);
            if (r.code === null) raised.push(i);
            else count(raiseErrors, r.code);
          },
          (e: unknown) => count(raiseErrors, e instanceof Error ? e.name : 'error'),
        ).finally(() => {
          inFlight--;
          answered++;
          if (answered === cfg.hands) resolve();
        });
      }
      if (next % 1000 === 0 && next > 0) process.stderr.write(`raised ${next}/${cfg.hands}\n`);
      if (next < cfg.hands) setTimeout(pump, 2);
    };
    pump();
  });
  const stormMs = performance.now() - t0;
  await sleep(1000);
  const hostSocket = { messages: host.stats.messages - base.messages, bytes: host.stats.bytes - base.bytes, windowMs: performance.now() - t0, largestMessage: host.stats.largest };
  hostRunning = false;
  await hostLoop;

  // throughput: everyone still raised lowers their hand, closed loop
  const lower = new Histogram(0.5, 60_000);
  const lowerErrors: Record<string, number> = {};
  const queue = [...raised];
  const l0 = performance.now();
  let lowered = 0;
  await Promise.all(
    Array.from({ length: cfg.lowerConcurrency }, async () => {
      for (let i = queue.pop(); i !== undefined; i = queue.pop()) {
        const r = await act(`${cfg.cookiePrefix}${i}`, { type: 'cancelRequest' });
        lower.record(r.ms);
        if (r.code === null) lowered++;
        else count(lowerErrors, r.code);
      }
    }),
  );
  const lowerMs = performance.now() - l0;
  host.ws.close();
  const report: HandsLoadReport = {
    raise: raise.summary(),
    raiseErrors,
    stormMs,
    raiseLagMs: lastLag,
    hostAction: hostAction.summary(),
    hostActionErrors,
    hostSocket,
    lower: lower.summary(),
    lowerErrors,
    lowerMs,
    lowered,
  };
  process.stdout.write(JSON.stringify(report) + '\n');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`hands loadgen failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
