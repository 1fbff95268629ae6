/**
 * @module bench/report-cluster — the cluster section of docs/benchmarks.md: the run's command, machine
 * and date, how each figure was taken, issue 16's keys each beside the raw figures it comes from, the
 * edge ramp step by step (what listeners lived through, the edge's, origin's and nats-server's CPU,
 * the NATS hop), the failovers, Icecast2 in the same run, and what limited it all. Text only from the
 * run and fixed explanations; it must never contain a number that is not in the run.
 */
import { clusterFigures, hopStep, stepNear, type ClusterKey } from './cluster-figures.ts';
import { isFailure, VOICE_MS, VOICE_RMS, type ClusterResult, type ClusterStep, type PhaseFailure } from './cluster-results.ts';
import type { DelaySummary } from './histogram.ts';
import type { GroupReport } from './loadgen-protocol.ts';
import { ICECAST_STEP_HEADER, icecastStepRow } from './report-icecast.ts';

const f0 = (v: number): string => Math.round(v).toLocaleString('en-US');
const f1 = (v: number): string => v.toFixed(1);
const f2 = (v: number): string => v.toFixed(2);
const f3 = (v: number): string => v.toFixed(3);
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
const ms = (v: number | null): string => (v === null ? '—' : `${f0(v)} ms`);
const delay = (d: DelaySummary): string => `${f1(d.p50)} / ${f1(d.p99)} / ${f0(d.max)}`;
const sum = (r: Readonly<Record<string, number>>): number => Object.values(r).reduce((a, b) => a + b, 0);
const closes = (g: GroupReport): string => (sum(g.closes) === 0 ? 'none' : Object.entries(g.closes).map(([c, n]) => `${n}× ${c}`).join(', '));
const failed = (p: PhaseFailure): string => `**Not measured:** ${p.failed}.`;

function stepRow(s: ClusterStep): string {
  const w = s.window;
  const other = s.otherEdges.reduce((a, e) => a + e.cpu.cores, 0);
  return (
    `| ${f0(s.connected)}${s.connected !== s.target ? ` of ${f0(s.target)}` : ''} | ${w.serverBatchMs ?? '?'} | ${f1(s.deliveredFramesPerListenerSecond)} (${f1(s.minListenerFramesPerSecond)}) | ${w.skippedTicks ?? '?'} | ` +
    `${delay(w.base.delay)} | ${f0(w.base.framesLost)} | ${f0(w.base.stalled)} | ${pct(w.serverCpu.cores)} | ${pct(w.serverCpu.userShare)} | ${pct(w.serverRunQueueShare)} | ` +
    `${pct(s.origin.cpu.cores)} | ${pct(s.nats.cpu.cores)} | ${pct(other)} | ${pct(w.loadgen.cores)} | ${f2(s.hop.delay.p50)} / ${f2(s.hop.delay.p99)} | ${f0(s.listenersPerEdgeCore)} | ${s.limitedBy} | ${s.ok ? 'yes' : `**no**: ${s.why}`} |`
  );
}

/** the raw figure each key comes from, as the key table's third column */
function rawOf(r: ClusterResult, k: ClusterKey): string {
  const b = r.best;
  const low = stepNear(r.steps, 1000);
  const h = hopStep(r);
  const ok = r.originKill;
  const ek = r.edgeKill;
  const nr = r.natsRestart;
  switch (k) {
    case 'edgeListenersPerCore':
      return b === null ? '—' : `${f0(b.connected)} listeners ÷ ${f3(b.window.serverCpu.cores)} of the edge's core (${pct(b.window.serverCpu.userShare)} of it user space)`;
    case 'icecastSameRateListenersPerCore':
      return isFailure(r.icecast) || r.icecast.best === null ? '—' : `${f0(r.icecast.best.connected)} listeners ÷ ${f3(r.icecast.best.window.serverCpu.cores)} of icecast2's core, ${r.icecast.pageMs ?? '?'} ms pages`;
    case 'originCpuShareAt1k':
      return low === null ? '—' : `${f0(low.origin.cpu.userMs + low.origin.cpu.sysMs)} ms of CPU over ${f0(low.origin.cpu.wallMs)} ms with ${f0(low.connected)} listeners`;
    case 'originCpuShareAt20k':
      return isFailure(r.top) ? '—' : `${f0(r.top.origin.cpu.userMs + r.top.origin.cpu.sysMs)} ms of CPU over ${f0(r.top.origin.cpu.wallMs)} ms with ${f0(r.top.listeners)} listeners`;
    case 'natsHopP50Ms':
    case 'natsHopP99Ms':
      return h === null ? '—' : `${f0(h.hop.frames)} frames at the ${f0(h.connected)}-listener step (max ${f1(h.hop.delay.max)} ms)`;
    case 'originKillAudioBackSeconds':
      return isFailure(ok) ? '—' : `kill → host heard ${ms(ok.audioBackMs)}; kill → first frame of the new origin ${ms(ok.programBackMs)}`;
    case 'originKillKeptShare':
      return isFailure(ok) ? '—' : `${f0(ok.listeners - ok.closed)} of ${f0(ok.listeners)} sockets never closed`;
    case 'edgeKillBack99Seconds':
      return isFailure(ek) ? '—' : `${f0(Math.ceil(ek.rejoin.lost * 0.99))}th of ${f0(ek.rejoin.lost)} back at ${ms(ek.rejoin.back99Ms)} (p50 ${ms(ek.rejoin.backMs.p50)}, all ${ms(ek.rejoin.backAllMs)})`;
    case 'duplicateFrames':
      return [ok, ek, nr].map((p, i) => `${['origin kill', 'edge kill', 'NATS restart'][i]} ${isFailure(p) ? '—' : f0(p.group.duplicates)}`).join(' + ');
    case 'failedJoins':
      return isFailure(ek) ? '—' : `${f0(ek.rejoin.gaveUp)} gave up + ${f0(ek.rejoin.pending)} still trying, of ${f0(ek.rejoin.lost)}; ${f0(ek.rejoin.failedAttempts)} attempts failed and were retried`;
    case 'natsRestartGapSeconds':
      return isFailure(nr) ? '—' : `${f0(nr.group.maxArrivalGapMs ?? 0)} ms at the worst of ${f0(nr.group.listeners)} listeners; nats-server down ${ms(nr.downMs)}`;
  }
}

const KEYS: readonly ClusterKey[] = [
  'edgeListenersPerCore',
  'icecastSameRateListenersPerCore',
  'originCpuShareAt1k',
  'originCpuShareAt20k',
  'natsHopP50Ms',
  'natsHopP99Ms',
  'originKillAudioBackSeconds',
  'originKillKeptShare',
  'edgeKillBack99Seconds',
  'duplicateFrames',
  'failedJoins',
  'natsRestartGapSeconds',
];

function keyTable(r: ClusterResult): string {
  const { figures, notes } = clusterFigures(r);
  // the two hop keys share one note
  const note = (k: ClusterKey): string => notes[k] ?? (k === 'natsHopP99Ms' ? (notes.natsHopP50Ms ?? '') : '');
  return [
    '| key | value | raw figure it comes from | what |',
    '|---|---|---|---|',
    ...KEYS.map((k) => `| \`${k}\` | ${figures[k] === undefined ? '— (left out)' : figures[k].toLocaleString('en-US')} | ${rawOf(r, k)} | ${note(k)} |`),
  ].join('\n');
}

function failovers(r: ClusterResult): string {
  const ok = r.originKill;
  const ek = r.edgeKill;
  const nr = r.natsRestart;
  const group = (g: GroupReport): string =>
    `frame delay p50 / p99 / max ${delay(g.delay)} ms, ${f0(g.duplicates)} duplicate frames, ${f0(g.framesLost)} frames missing in seq gaps (the largest ${f0(g.maxSeqGap ?? 0)} frames), the longest wait between two frames at a listener ${ms(g.maxArrivalGapMs ?? null)}, sockets closed: ${closes(g)}`;
  return [
    `### Origin killed (${f0(r.failoverListenersPerEdge)} listeners on each edge)`,
    '',
    isFailure(ok)
      ? failed(ok)
      : `${ok.killed} held the room and was killed with SIGKILL; ${ok.newHolder} took its lease (it numbers frames from the room's clock, so the failover's silence shows below as one seq gap per listener, not a reset). The first frame of the new origin reached the probe listener ${ms(ok.programBackMs)} after the kill, ` +
        `and the host was heard again (the probe's last ${VOICE_MS} ms of the new origin's program above RMS ${VOICE_RMS}; the tone's amplitude is 0.3) ${ms(ok.audioBackMs)} after it; the host's microphone offered ${ok.hostOffers} times in all. ` +
        `${f0(ok.listeners - ok.closed)} of ${f0(ok.listeners)} listeners kept their socket (${pct(ok.keptShare)}). Over ${f1(ok.windowMs / 1000)} s: ${group(ok.group)}.`,
    '',
    '### Edge killed',
    '',
    isFailure(ek)
      ? failed(ek)
      : `${ek.killed} was killed with SIGKILL holding ${f0(ek.rejoin.onPortAtArm)} listeners; ${f0(ek.rejoin.lost)} lost their socket and came back on ${ek.fallback} as the web client does ` +
        `(full-jitter backoff from 250 ms, src/protocol/listener-client/reconnect-policy.ts; a join token from ${ek.fallback}; \`resume=\` their last seq). ${f0(ek.rejoin.back)} were back ` +
        `(first frame, counted from just before the kill): p50 ${ms(ek.rejoin.backMs.p50)}, 99% ${ms(ek.rejoin.back99Ms)}, all ${ms(ek.rejoin.backAllMs)}; ` +
        `${f0(ek.rejoin.gaveUp + ek.rejoin.pending)} failed; ${f0(ek.rejoin.failedAttempts)} of ${f0(ek.rejoin.attempts)} attempts failed and were retried${sum(ek.rejoin.failures) > 0 ? ` (${Object.entries(ek.rejoin.failures).map(([w, n]) => `${n}× ${w}`).join(', ')})` : ''}. ` +
        `At the resume: ${f0(ek.rejoin.resumeGapFrames)} frames skipped, ${f0(ek.rejoin.resumeRepeats)} listeners whose first frame was one they had. Over ${f1(ek.windowMs / 1000)} s, every listener (the closes are the killed edge's sockets): ${group(ek.group)}.`,
    '',
    '### nats-server restarted',
    '',
    isFailure(nr)
      ? failed(nr)
      : `The bench's nats-server was killed with SIGKILL and started again on the same port: down ${ms(nr.downMs)}. The probe listener's next frame came ${ms(nr.frameBackMs)} after the kill. ` +
        `Over ${f1(nr.windowMs / 1000)} s, ${f0(nr.group.listeners)} listeners: ${group(nr.group)}. Frames the origin published while NATS was down are gone (core NATS is at-most-once): they show as seq gaps.`,
  ].join('\n');
}

function icecastPart(r: ClusterResult): string {
  const ic = r.icecast;
  if (isFailure(ic)) return `### Icecast2 at the same write rate\n\n${failed(ic)}`;
  const b = r.best;
  const i = ic.best;
  return [
    '### Icecast2 at the same write rate, same run',
    '',
    `After the cluster stopped, ${ic.icecastVersion} on the edges' core (the same ramp and rule, bench/scenario-icecast.ts): ${ic.summary}. Feeder: \`${ic.feederCommand}\`.`,
    '',
    ...ICECAST_STEP_HEADER,
    ...ic.steps.map(icecastStepRow),
    '',
    b !== null && i !== null
      ? `One edge: ${f0(b.listenersPerEdgeCore)} listeners per core at ${f0(b.connected)} (batch ${b.window.serverBatchMs ?? '?'} ms); Icecast2: ${f0(i.listenersPerCore)} per core at ${f0(i.connected)} (${ic.pageMs ?? '?'} ms pages): the edge carries ${f2(b.listenersPerEdgeCore / i.listenersPerCore)}× Icecast's listeners per core. Icecast's ramp stopped because ${ic.stopReason}.`
      : `No comparison: ${b === null ? 'no edge step held' : `Icecast2 held no step (${ic.stopReason})`}.`,
  ].join('\n');
}

function limits(r: ClusterResult): string {
  const lines: string[] = [];
  const gen = r.steps.filter((s) => s.limitedBy === 'generator-cpu');
  if (gen.length > 0) lines.push(`- The load generator's core was ≥ 90% busy at ${gen.map((s) => f0(s.connected)).join(', ')} listeners: it, not the edge, was the limit there (the origins and nats-server share that core).`);
  const cont = r.steps.filter((s) => s.limitedBy === 'cpu-contention');
  if (cont.length > 0) lines.push(`- Other work on the machine held a core at ${cont.map((s) => `${f0(s.connected)} (the edge waited for a CPU ${pct(s.window.serverRunQueueShare)} of the window)`).join(', ')}.`);
  const originWait = r.steps.filter((s) => s.origin.runQueueShare >= 0.1);
  if (originWait.length > 0) {
    lines.push(
      `- The origin waited for a CPU at ${originWait.map((s) => `${f0(s.connected)} (${pct(s.origin.runQueueShare)} of the window; its clock skipped ${s.window.skippedTicks ?? '?'} ticks)`).join(', ')}: ` +
        'a program frame that waits for the core is late for every listener, and one more than five ticks late is dropped.',
    );
  }
  const edgeFull = r.steps.filter((s) => s.limitedBy === 'server-cpu');
  if (edgeFull.length > 0) lines.push(`- The edge filled its core at ${edgeFull.map((s) => f0(s.connected)).join(', ')} listeners.`);
  if (r.steps.some((s) => s.target >= r.openFiles - 500)) lines.push(`- The open-files limit (${f0(r.openFiles)} per process, a hard limit the bench cannot raise) caps the listeners one generator holds.`);
  lines.push(`- The origins and nats-server run on the generator's core (this machine has ${r.machine.nproc}): the origin's CPU is its own (from /proc), but a busy generator delays its frames and the NATS probe's arrivals, which then count in the delay and the hop.`);
  return lines.join('\n');
}

export function clusterSection(r: ClusterResult, images: string): string {
  const m = r.machine;
  const originSteps = r.steps.map((s) => s.origin.cpu.cores);
  const top = r.top;
  return [
    '## Cluster: one room across processes',
    '```',
    r.command,
    '```',
    `- Date: ${r.date} · ${r.natsVersion} · ${r.origins} origins, ${r.edges} edges (each \`node --import tsx src/main.ts\`, AMPHI_NODE_ROLE, one AMPHI_SECRET), PostgreSQL schema of the run's own (dropped after) · batch ${r.batchMs} ms · edge settings ${Object.entries(r.serverEnv).map(([k, v]) => `${k}=${v}`).join(' ') || 'default'}`,
    `- Cores (taskset): edges on core ${r.serverCore ?? 'any'}; origins, nats-server, the load generator and the bench (host's microphone, NATS probe, probe listeners) on core ${r.originCore ?? 'any'}; PostgreSQL is the machine's service, not pinned`,
    `- Machine: \`nproc\` ${m.nproc} (${m.cpuModel}), ${m.ramGiB} GiB RAM, Linux ${m.kernel}, Node ${m.node}; open files per process ${f0(r.openFiles)}; 1-minute load average before the run ${r.loadAverage.toFixed(2)}`,
    '',
    '- **The room**: a host signs up on an origin and makes a room; both origins claim its lease and one wins. The host\'s room socket is on the other origin, so it outlives the one killed; a 440 Hz tone over WebRTC (@roamhq/wrtc) that offers again when the stage moves, as the web client does.',
    '- **The edge ramp**: listeners (raw WebSocket clients in the generator process, as in the fan-out) on one edge with a join token from that edge. A step is met only if its listeners lived through every frame in real time (frames per listener per second: the mean ≥ 49.5, the fewest within one batch of it) with 0 ticks skipped by the **origin\'s** clock (its /metrics at the window\'s start and end), p99 frame delay (capture → listener socket read) ≤ ' +
      `${r.p99BudgetMs} ms, 0 frames lost, none stalled or closed, every listener connected. Listeners per edge core = listeners ÷ the edge's CPU (user + system, /proc) at the largest step met. ` +
      "A step missed while another process held the edge's core (cpu-contention) or the generator's core was full does not end the ramp; a step the edge itself missed does, and so do two misses in a row.",
    '- **Origin CPU**: the origin holding the room, all its threads (stage, mixer, Opus, NATS publish), from /proc over the same windows.',
    '- **NATS hop**: the bench subscribes to the room\'s program subject on the run\'s nats-server, as an edge does, and records arrival − the capture time the origin stamped (one machine, one clock): origin capture → an edge\'s NATS client. It leaves out the edge\'s batching and socket write, which the listeners\' delay in the table includes.',
    '',
    keyTable(r),
    '',
    `Idle (host speaking, no listener): edge ${pct(r.idle.window.serverCpu.cores)} of a core, origin ${pct(r.idle.origin.cpu.cores)}, nats-server ${pct(r.idle.nats.cpu.cores)}; the origin across the ramp's steps: ${originSteps.length === 0 ? '—' : `${pct(Math.min(...originSteps))} to ${pct(Math.max(...originSteps))}`}` +
      (isFailure(top) ? '.' : `; with ${f0(top.listeners)} listeners on the edges (${Object.entries(top.onEdges).map(([e, n]) => `${e} ${f0(n)}`).join(', ')}) ${pct(top.origin.cpu.cores)}, the listeners ${top.realTime ? 'in' : '**not** in'} real time there (${f1(top.deliveredFramesPerListenerSecond)} frames per listener per second).`),
    '',
    '| listeners on the edge | edge batch, ms | frames per listener per second (fewest) | origin skipped ticks | delay p50 / p99 / max, ms | frames lost | stalled | edge CPU (of one core) | edge user share | edge waited for a CPU | origin CPU | nats-server CPU | other edges CPU | generator CPU | NATS hop p50 / p99, ms | listeners per edge core | limited by | met |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...r.steps.map(stepRow),
    '',
    `Why the ramp stopped: ${r.stopReason}.`,
    '',
    images,
    '',
    failovers(r),
    '',
    icecastPart(r),
    '',
    '### What limited the cluster figures',
    '',
    limits(r),
  ].join('\n');
}
