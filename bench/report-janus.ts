/**
 * @module bench/report-janus — the Janus section of docs/benchmarks.md: the command and versions, which
 * kind of listener measured it and what a WebRTC listener costs there, one row per step, and the side-by-side ratio with Amphi's fan-out when both
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
  const peer = j.peer ?? 'wrtc';
  const best = j.best;
  const genCost = best !== null && best.listeners > 0 ? (best.loadgenCpu.cores * 1000) / best.listeners : null;
  return [
    '## Janus (WebRTC) side by side',
    `\`${j.command}\` — ${j.date}, ${j.machine.cpuModel}, ${j.machine.nproc} cores, load average before ${j.loadAverage.toFixed(2)}; ${j.janusVersion}.`,
    '',
    `The same ${j.program.kbps} kbit/s Opus program (${j.program.frameMs} ms frames) fed by ffmpeg as RTP to one Streaming mountpoint, Janus as`,
    'Debian ships it otherwise (a thread per WebRTC handle). Each listener, in a generator process on the other core, creates a session',
    'through the HTTP API, watches the mountpoint, answers the offer and keeps its session alive.',
    peer === 'light'
      ? 'The listeners are light WebRTC peers (`--janus-peer light`): ICE (answering Janus\'s checks with MESSAGE-INTEGRITY and FINGERPRINT) ' +
        'and the DTLS handshake (Janus\'s certificate checked against its offer) are done for real, so Janus does for each what it does for a ' +
        'browser; then every SRTP packet is counted from its clear RTP header (sequence gaps are loss, arrival times give RFC 3550 jitter) ' +
        'without being decrypted. A @roamhq/wrtc peer (`--janus-peer wrtc`) costs the generator several times more CPU, and in earlier ' +
        'runs on two cores it filled the generator\'s core before Janus filled its own.'
      : 'The listeners are @roamhq/wrtc peers (`--janus-peer wrtc`); what they heard is read from their inbound-rtp stats. A wrtc peer ' +
        'costs the generator more than Janus spends on it, so on two cores the generator fills its core first ("limited by").',
    'Janus encrypts and sends every packet to every peer (SRTP) from a thread per peer, so its cost is per listener and per 20 ms packet,',
    'where Amphi writes one shared buffer per batch. Janus gathers ICE candidates on one non-loopback IPv4 address of the machine',
    '(`ice_enforce_list = "lo"` has no effect: Janus skips loopback interfaces), so packets still take the kernel\'s loopback path.',
    'The per-core figure is listeners ÷ the Janus CPU used at the largest step served without loss, as for Amphi.',
    genCost !== null ? `The generator spent ${genCost.toFixed(2)} ms of CPU per listener-second at that step.` : '',
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
