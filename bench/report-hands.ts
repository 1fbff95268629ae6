/**
 * @module bench/report-hands — the moderation section of docs/benchmarks.md: the command, machine and
 * date of the last `hands` run, issue 17's figures against their targets, and what the run did. Text
 * only from the run and fixed explanations; it must never contain a number that is not in it.
 */
import type { DelaySummary } from './histogram.ts';
import type { HandsResult } from './scenario-hands.ts';

const f0 = (v: number): string => Math.round(v).toLocaleString('en-US');
const f1 = (v: number): string => v.toFixed(1);
const delay = (d: DelaySummary): string => `${f1(d.p50)} / ${f1(d.p99)} / ${f0(d.max)} (${f0(d.count)})`;
const errors = (e: Readonly<Record<string, number>>): string => {
  const list = Object.entries(e);
  return list.length === 0 ? 'none' : list.map(([code, n]) => `${f0(n)}× ${code}`).join(', ');
};

export function handsSection(h: HandsResult): string {
  const l = h.load;
  const m = h.machine;
  const target = (ok: boolean): string => (ok ? 'met' : '**missed**');
  return [
    '## Moderation: hand raises (issue 17)',
    '',
    '```',
    h.command,
    '```',
    `- Date: ${h.date} · server on core ${h.serverCore ?? 'any'}, load generator on core ${h.loadgenCore ?? 'any'} (taskset) · ` +
      `Machine: ${m.nproc} cores (${m.cpuModel}), ${m.ramGiB} GiB RAM, Node ${m.node}; 1-minute load average before the run ${h.loadAverage.toFixed(2)}`,
    '',
    `A live room on SQLite; ${f0(h.hands)} seeded accounts raise a hand at ${f0(h.rate)} per second over \`POST /api/rooms/{id}/actions\`, ` +
      'while the host, connected to the room WebSocket, acts once a second (approve a hand raised a moment ago, mute them, move them back ' +
      'to the audience). Then every hand still raised is lowered by 64 clients in a closed loop: that rate is the room\'s sustained throughput.',
    '',
    '| key | value | target |',
    '|---|---|---|',
    `| \`hands\` | ${f0(h.hands)} | 50,000 |`,
    `| \`raiseP99Ms\` | ${f1(h.raiseP99Ms)} | ≤ 20: ${target(h.raiseP99Ms <= 20)} |`,
    `| \`hostActionP99Ms\` | ${f1(h.hostActionP99Ms)} | ≤ 50: ${target(h.hostActionP99Ms <= 50)} |`,
    `| \`bytesPerSecondToHost\` | ${f0(h.bytesPerSecondToHost)} | ≤ 50,000: ${target(h.bytesPerSecondToHost <= 50_000)} |`,
    `| \`roomActionsPerSecond\` | ${f0(h.roomActionsPerSecond)} | ≥ 1,000: ${target(h.roomActionsPerSecond >= 1000)} |`,
    '',
    '| measured | p50 / p99 / max ms (count) | refused |',
    '|---|---|---|',
    `| raise (request → answer) | ${delay(l.raise)} | ${errors(l.raiseErrors)} |`,
    `| host action during the storm | ${delay(l.hostAction)} | ${errors(l.hostActionErrors)} |`,
    `| lower, closed loop | ${delay(l.lower)} | ${errors(l.lowerErrors)} |`,
    '',
    `The storm lasted ${f1(l.stormMs / 1000)} s (the last raise left ${f0(l.raiseLagMs)} ms behind its schedule); the host's socket received ` +
      `${f0(l.hostSocket.messages)} messages, ${f0(l.hostSocket.bytes)} bytes in all (largest ${f0(l.hostSocket.largestMessage)}) over ` +
      `${f1(l.hostSocket.windowMs / 1000)} s. ${f0(l.lowered)} hands were lowered in ${f1(l.lowerMs / 1000)} s. The server used ` +
      `${f1(h.serverCpu.cores * 100)}% of a core over both phases (waiting for a CPU ${f0(h.serverRunQueueShare * 100)}% of the time), RSS ${f1(h.serverRssKiB / 1024)} MiB at the end.`,
  ].join('\n');
}
