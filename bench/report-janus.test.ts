import { describe, expect, it } from 'vitest';
import type { JanusStep } from './janus-result.ts';
import type { CpuUse } from './proc-stats.ts';
import { janusSection } from './report-janus.ts';
import type { JanusRun } from './scenario-janus.ts';

const cpu = (cores: number): CpuUse => ({ userMs: cores * 6000, sysMs: cores * 4000, wallMs: 10_000, cores, userShare: 0.6 });

const step = (target: number, janusCores: number, loadgenCores: number, over: Partial<JanusStep> = {}): JanusStep => ({
  target,
  listeners: target,
  connected: target,
  openFailures: {},
  openMs: 1000,
  wallMs: 10_000,
  janusCpu: cpu(janusCores),
  janusCoreOthersShare: 0,
  janusCoreStealShare: 0,
  janusRssKiB: 70_000,
  janusThreads: target + 13,
  rssPerListenerKiB: 240,
  loadgenCpu: cpu(loadgenCores),
  loadgenCoreOthersShare: 0,
  loadgenEventLoopP99Ms: 12,
  packets: { received: target * 500, expected: target * 500, lost: 0, receivedPerListener: 500, lostPerListener: 0, receivedShare: 1, behind: 0, jitterMsMean: 3, jitterMsMax: 5 },
  keepaliveFailures: 0,
  listenersPerCore: target / janusCores,
  ok: true,
  limitedBy: 'none',
  ...over,
});

const run = (over: Partial<JanusRun>): JanusRun => {
  const steps = [step(100, 0.5, 0.18), step(200, 0.95, 0.34, { limitedBy: 'server-cpu' })];
  return {
    scenario: 'janus',
    date: '2026-11-30T12:00:00.000Z',
    machine: { nproc: 2, cpuModel: 'AMD EPYC', ramGiB: 23.5, kernel: 'k', node: 'v20.20.2' },
    loadAverage: 0.2,
    janusVersion: 'Janus 1.1.2',
    peer: 'light',
    serverCore: 0,
    loadgenCore: 1,
    windowMs: 10_000,
    settleMs: 2000,
    program: { codec: 'opus', kbps: 32, frameMs: 20 },
    idle: { cpu: cpu(0.01), rssKiB: 22_000, threads: 13 },
    steps,
    best: steps[1] ?? null,
    janusListenersPerCore: 200 / 0.95,
    stopReason: "Janus's core saturated at 200 listeners (95% of a core), every listener still served",
    command: 'npm run bench -- janus --duration 10',
    batchMs: 60,
    serverEnv: {},
    openFiles: 65_536,
    ...over,
  };
};

describe('janusSection', () => {
  it('says the light listeners did ICE and DTLS for real and counted clear headers, with the generator cost of the best step', () => {
    const md = janusSection(run({}), undefined);
    expect(md).toMatch(/light WebRTC peers/);
    expect(md).toMatch(/without being decrypted/);
    expect(md).toContain('The generator spent 1.70 ms of CPU per listener-second at that step.');
    expect(md).toContain('**Largest step served: 200 WebRTC listeners on 95.0% of a core → 211 listeners per core.**');
    expect(md).toMatch(/ice_enforce_list = "lo"` has no effect/);
  });

  it('describes a run without a peer kind (made before the light listener) as wrtc', () => {
    const { peer: _peer, ...old } = run({});
    const md = janusSection(old, undefined);
    expect(md).toMatch(/@roamhq\/wrtc peers/);
    expect(md).not.toMatch(/light WebRTC peers/);
  });

  it('gives no generator cost and says so when no step was served', () => {
    const md = janusSection(run({ best: null, janusListenersPerCore: null }), undefined);
    expect(md).not.toMatch(/The generator spent/);
    expect(md).toContain('**No step was fully served.**');
  });
});
