/**
 * @module bench/join-storm — a join storm from inside the load generator: joins started at a fixed rate,
 * each one as a browser does it — signed out and direct (open `/ws/listen?room=ID`; if told a place
 * in line, keep the socket until the server lets it in) or with a ticket (GET the listen ticket over
 * HTTP; when told to wait, hold the line socket until our number is admitted and ask again with the
 * place; open the listener WebSocket with its token) — then wait for the first audio frame, timed from
 * the join's first request to that frame. Meanwhile
 * the listeners already in keep being measured, bucket by bucket, for the timeline. Bounded: it starts
 * exactly rate × duration joins and gives each at most timeoutMs; it never retries a failed join.
 */
import { Agent, get } from 'node:http';
import { Histogram } from './histogram.ts';
import { PoolListener, wallNow, type ListenerPool } from './listener-pool.ts';
import type { LoadgenCpu, StormBucket, StormReport, StormSpec } from './loadgen-protocol.ts';
import { listenAnswer, waitInLine } from './waiting-line.ts';
import { targetOfUrl, type RawWsTarget } from './raw-ws-client.ts';

/** GET url and parse its JSON body; rejects with a short reason */
function getJson(url: string, agent: Agent, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode ?? '?'}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          reject(new Error('ticket not JSON'));
        }
      });
      res.on('error', (err: NodeJS.ErrnoException) => reject(new Error(err.code ?? err.message)));
    });
    req.on('timeout', () => req.destroy(new Error('ticket timeout')));
    req.on('error', (err: NodeJS.ErrnoException) => reject(new Error(err.code ?? err.message)));
  });
}


export async function runStorm(pool: ListenerPool, spec: StormSpec, cpu: () => LoadgenCpu): Promise<StormReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const offered = Math.round((spec.rate * spec.durationMs) / 1000);
  const joinToAudio = new Histogram(1, 60_000);
  const ticket = new Histogram(1, 60_000);
  const lineWait = new Histogram(1, 60_000);
  let waited = 0;
  const failures: Record<string, number> = {};
  const timeline: StormBucket[] = [];
  let started = 0;
  let admitted = 0;
  let failed = 0;
  let bucket = { started: 0, admitted: 0, failed: 0 };
  const base = pool.stats.base;
  pool.resetWindow();
  base.bucket.reset();
  base.bucketLost = 0;
  const t0 = wallNow();
  let lastStartAt = t0;
  let lastSettledAt = t0;

  const fail = (reason: string): void => {
    failed++;
    bucket.failed++;
    failures[reason] = (failures[reason] ?? 0) + 1;
    lastSettledAt = wallNow();
  };

  /**
   * one listener socket until its first audio, a close or the timeout; `line` (direct joins) records
   * when the server told it a place in line, on the same socket
   */
  const listen = (target: RawWsTarget, begin: number, leftMs: number, line: { at: number } | null): Promise<void> =>
    new Promise<void>((resolve) => {
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        fail(line !== null && line.at > 0 ? 'line: no audio before the timeout' : 'no audio before the timeout');
        l.client.destroy();
        resolve();
      }, Math.max(0, leftMs));
      const l: PoolListener = new PoolListener(pool, 'storm', target, {
        ...(line !== null && {
          text: () => {
            if (line.at > 0) return;
            line.at = wallNow();
            waited++;
            ticket.record(line.at - begin);
          },
        }),
        firstAudio: (who) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          admitted++;
          bucket.admitted++;
          joinToAudio.record(who.firstAudioAt - begin);
          if (line !== null && line.at > 0) lineWait.record(who.firstAudioAt - line.at);
          lastSettledAt = who.firstAudioAt;
          // churn: a tab that closes once it heard the room, so the fan-out to joiners stays out of the join's cost
          if (spec.leaveOnAudio === true) setImmediate(() => who.client.close(1000));
          resolve();
        },
        closed: (_who, code, detail) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          fail(code === 0 ? `socket: ${detail}` : `closed ${code} before audio`);
          resolve();
        },
      });
    });

  const join = async (): Promise<void> => {
    const begin = wallNow();
    // one upgrade: admitted, or a place in line held on the same socket until the server lets it in
    if (spec.directUrl !== undefined) return listen(targetOfUrl(spec.directUrl), begin, spec.timeoutMs, { at: 0 });
    if (spec.tokenUrl !== undefined) return listen(targetOfUrl(spec.tokenUrl), begin, spec.timeoutMs, null);
    let body: unknown;
    try {
      body = await getJson(spec.ticketUrl, agent, spec.timeoutMs);
    } catch (err) {
      return fail(`ticket: ${(err as Error).message}`);
    }
    ticket.record(wallNow() - begin);
    let answer = listenAnswer(body);
    if (answer?.kind === 'waiting') {
      waited++;
      const queued = wallNow();
      const outcome = await waitInLine(answer.lineUrl, answer.number, spec.timeoutMs - (queued - begin));
      if (outcome !== 'admitted') return fail(`line: ${outcome}`);
      lineWait.record(wallNow() - queued);
      try {
        answer = listenAnswer(await getJson(`${spec.ticketUrl}?ticket=${encodeURIComponent(answer.ticket)}`, agent, spec.timeoutMs));
      } catch (err) {
        return fail(`ticket after the line: ${(err as Error).message}`);
      }
    }
    if (answer === null) return fail('listen answer without a path or a place in line');
    if (answer.kind === 'waiting') return fail('still waiting after the line admitted us');
    await listen(targetOfUrl(answer.url), begin, spec.timeoutMs - (wallNow() - begin), null);
  };

  let bucketStart = t0;
  const closeBucket = (): void => {
    const s = base.bucket.summary();
    const now = wallNow();
    // A bucket is as long as the generator's loop let it be: keep its real length for the rates.
    timeline.push({ tMs: Math.round(bucketStart - t0), durMs: Math.round(now - bucketStart), ...bucket, baseP50Ms: s.p50, baseP99Ms: s.p99, baseLost: base.bucketLost });
    bucket = { started: 0, admitted: 0, failed: 0 };
    base.bucket.reset();
    base.bucketLost = 0;
    bucketStart = now;
  };
  // The timeline runs from the first join until the last one settled.
  const bucketTimer = setInterval(closeBucket, spec.bucketMs);
  const joins: Promise<void>[] = [];
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(offered, Math.floor(((wallNow() - t0) * spec.rate) / 1000) + 1);
      for (; started < due; started++) {
        bucket.started++;
        joins.push(join());
      }
      lastStartAt = wallNow();
      if (started >= offered) {
        clearInterval(tick);
        resolve();
      }
    }, 5);
  });
  await Promise.all(joins);
  clearInterval(bucketTimer);
  closeBucket();
  agent.destroy();
  const startedSpan = Math.max(1, lastStartAt - t0);
  const wallMs = lastSettledAt - t0;
  return {
    offered,
    started,
    startedPerSec: (started * 1000) / Math.max(startedSpan, spec.durationMs),
    admitted,
    admittedPerSec: (admitted * 1000) / Math.max(1, wallMs),
    failed,
    failures,
    joinToAudio: joinToAudio.summary(),
    ticket: ticket.summary(),
    waited,
    lineWait: lineWait.summary(),
    wallMs,
    timeline,
    base: pool.report('base'),
    loadgen: cpu(),
  };
}
