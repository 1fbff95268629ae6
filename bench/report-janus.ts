/**
 * @module bench/report-janus — the Janus section of docs/benchmarks.md: the command and versions, what a
 * WebRTC listener costs there, one row per step, and the side-by-side ratio with Amphi's fan-out when both
 * ran. Text only from the runs and fixed explanations; it must never contain a number not in them.
 */
import type { JanusRun } from './scenario-janus.ts';
import type { FanoutResult } from './results.ts';

const f0 = (v: number): string => Math.round(v).toLocaleString('en-US');
const f1 = (v: number): string => v.toFixed(1);
const pct = (v: number): string => `${(v * 100).toFixed(0)}%`;

export function janusSection(j: JanusRun, fanout: FanoutResult | undefined): string {
  const rows = j.steps.map(
    (s) =>
      `| ${f0(s.listeners)}${s.listeners !== s.target ? ` of ${f0(s.target)}` : ''} | ${f0(s.connected)} | ${f1(s.janusCpu.cores * 100)}% | ${pct(s.janusCpu.userShare)} | ` +
      `${f1(s.janusRssKiB / 1024)} | ${f1(s.rssPerListenerKiB)} | ${pct(s.packets.receivedShare)} | ${f0(s.packets.lost)} | ${f0(s.packets.behind)} | ${f1(s.loadgenCpu.cores * 100)}% | ${f0(s.listenersPerCore)} | ${s.limitedBy} | ${s.ok ? 'yes' : '**no**'} |`,
  );
  const amphi = fanout?.best ?? null;
  const ratio = amphi !== null && j.janusListenersPerCore !== null && j.janusListenersPerCore > 0 ? amphi.listenersPerCore / j.janusListenersPerCore : null;
  return [
    '## Janus (WebRTC) side by side',
    `\`${j.command}\` — ${j.date}, ${j.machine.cpuModel}, ${j.machine.nproc} cores, load average before ${j.loadAverage.toFixed(2)}; ${j.janusVersion}.`,
    '',
    `The same ${j.program.kbps} kbit/s Opus program (${j.program.frameMs} ms frames) fed by ffmpeg as RTP to one Streaming mountpoint; each listener is a`,
    'WebRTC peer (@roamhq/wrtc, in a generator process on the other core) that created a session through the HTTP API, watched the',
    'mountpoint, answered the offer and keeps its session alive. Janus encrypts and sends every packet to every peer (SRTP) from a',
    'thread per peer, so its cost is per listener and per 20 ms packet, where Amphi writes one shared buffer per batch. A wrtc peer costs',
    'the generator more than Janus spends on it, so on two cores the generator fills its core first ("limited by"): the per-core figure is',
    'then listeners ÷ the Janus CPU actually used, as for Amphi.',
    '',
    '| listeners | ICE connected | Janus CPU (of one core) | user share | RSS, MiB | RSS per listener, KiB | packets received | lost | behind > 250 ms | generator CPU | listeners per core | limited by | served |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    j.best
      ? `**Largest step served: ${f0(j.best.listeners)} WebRTC listeners on ${f1(j.best.janusCpu.cores * 100)}% of a core → ${f0(j.janusListenersPerCore ?? 0)} listeners per core.**`
      : '**No step was fully served.**',
    ratio !== null ? `Amphi's fan-out carries **${f1(ratio)}×** that per core (${f0(amphi?.listenersPerCore ?? 0)} listeners per core).` : '',
    '',
    `Why the ramp stopped: ${j.stopReason}.`,
  ].join('\n');
}
