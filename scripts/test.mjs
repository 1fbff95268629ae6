#!/usr/bin/env node
// `npm test`: make sure Chromium (browser tests) and nats-server (cluster suites) are there, type-check, check the import direction
// of DESIGN.md §2, then run every test. Each step stops the run on failure; the last line printed is
// vitest's `N passed, N failed` summary.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The browser tests (test/e2e) drive Debian's Chromium, never a downloaded one (`npx playwright install`
// is not allowed here). The colour-emoji font lets Chromium draw the reaction emoji in screenshots.
// The audio scenario makes its fake-microphone speech with espeak-ng and sox; ffmpeg plays live.ogg.
const CHROMIUM = '/usr/bin/chromium';
const EMOJI_FONT = '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf';
// The cluster's suites start their own nats-server processes (Debian's, on free ports) to kill and restart.
// The stage-sound tests (leveling, hot mic, echo) play LibriVox speech from pocketsphinx-testdata.
const AUDIO_TOOLS = ['/usr/bin/espeak-ng', '/usr/bin/sox', '/usr/bin/ffmpeg', '/usr/share/pocketsphinx/test/data/librivox'];
const NATS_SERVER = ['/usr/sbin/nats-server', '/usr/bin/nats-server'];
// The TURN test (test/e2e/stage-turn.test.ts) runs its own coturn and shapes a network namespace with nftables.
const NETWORK_TOOLS = ['/usr/bin/turnserver', '/usr/sbin/nft'];
if (!existsSync(CHROMIUM) || !existsSync(EMOJI_FONT) || [...AUDIO_TOOLS, ...NETWORK_TOOLS].some((t) => !existsSync(t)) || !NATS_SERVER.some((t) => existsSync(t))) {
  const cmd = 'apt-get update && apt-get install -y chromium fonts-noto-color-emoji espeak-ng sox ffmpeg pocketsphinx-testdata nats-server coturn nftables';
  process.stdout.write(`\n== browser: ${CHROMIUM}, its emoji font or an audio tool (espeak-ng, sox, ffmpeg) is missing; running: ${cmd}\n`);
  const r = spawnSync('sh', ['-c', cmd], { stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(CHROMIUM)) {
    process.stdout.write(`\ninstalling Chromium failed (exit ${r.status ?? r.signal})\n0 passed, 1 failed\n`);
    process.exit(r.status || 1);
  }
}

// Playback-quality tests (a Chromium page's underruns, mouth-to-ear) run last, one file at a time, with the
// machine to themselves: run beside the other test files on two cores, their players starved for reasons
// that had nothing to do with Amphi (issue 18). Everything else runs first, in parallel.
const PLAYBACK = 'test/e2e/audio*.test.ts';
const summaryFile = join(mkdtempSync(join(tmpdir(), 'amphi-test-')), 'summary.jsonl');
const steps = [
  ['type check', 'npx', ['tsc', '--noEmit']],
  ['import direction', 'npx', ['depcruise', 'src', 'web', 'test', 'bench', '--config', '.dependency-cruiser.cjs']],
  ['tests', 'npx', ['vitest', 'run', '--exclude', PLAYBACK]],
  ['playback tests, one at a time', 'npx', ['vitest', 'run', '--no-file-parallelism', 'test/e2e/audio']],
];
let failedStep = null;
for (const [name, cmd, args] of steps) {
  process.stdout.write(`\n== ${name}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, AMPHI_SUMMARY_FILE: summaryFile } });
  if (r.status !== 0) {
    process.stdout.write(`\n${name} failed (exit ${r.status ?? r.signal})\n`);
    failedStep = r.status ?? 1;
    // the type check and import direction stop the run; a failing test run still lets the playback tests report
    if (args[0] !== 'vitest') {
      process.stdout.write('0 passed, 1 failed\n');
      process.exit(failedStep);
    }
  }
}
const runs = existsSync(summaryFile)
  ? readFileSync(summaryFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
  : [];
const sum = (k) => runs.reduce((n, r) => n + r[k], 0);
const failed = sum('failed') + (failedStep !== null && sum('failed') === 0 ? 1 : 0);
const skipped = sum('skipped');
process.stdout.write(`\n${sum('passed')} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
process.exit(failed > 0 ? 1 : 0);
