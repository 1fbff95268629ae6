#!/usr/bin/env node
// `npm test`: make sure Chromium (browser tests) and nats-server (cluster suites) are there, type-check, check the import direction
// of DESIGN.md §2, then run every test. Each step stops the run on failure; the last line printed is
// vitest's `N passed, N failed` summary.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// The browser tests (test/e2e) drive Debian's Chromium, never a downloaded one (`npx playwright install`
// is not allowed here). The colour-emoji font lets Chromium draw the reaction emoji in screenshots.
// The audio scenario makes its fake-microphone speech with espeak-ng and sox; ffmpeg plays live.ogg.
const CHROMIUM = '/usr/bin/chromium';
const EMOJI_FONT = '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf';
// The cluster's suites start their own nats-server processes (Debian's, on free ports) to kill and restart.
const AUDIO_TOOLS = ['/usr/bin/espeak-ng', '/usr/bin/sox', '/usr/bin/ffmpeg'];
const NATS_SERVER = ['/usr/sbin/nats-server', '/usr/bin/nats-server'];
if (!existsSync(CHROMIUM) || !existsSync(EMOJI_FONT) || AUDIO_TOOLS.some((t) => !existsSync(t)) || !NATS_SERVER.some((t) => existsSync(t))) {
  const cmd = 'apt-get update && apt-get install -y chromium fonts-noto-color-emoji espeak-ng sox ffmpeg nats-server';
  process.stdout.write(`\n== browser: ${CHROMIUM}, its emoji font or an audio tool (espeak-ng, sox, ffmpeg) is missing; running: ${cmd}\n`);
  const r = spawnSync('sh', ['-c', cmd], { stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(CHROMIUM)) {
    process.stdout.write(`\ninstalling Chromium failed (exit ${r.status ?? r.signal})\n0 passed, 1 failed\n`);
    process.exit(r.status || 1);
  }
}

const steps = [
  ['type check', 'npx', ['tsc', '--noEmit']],
  ['import direction', 'npx', ['depcruise', 'src', 'web', 'test', 'bench', '--config', '.dependency-cruiser.cjs']],
  ['tests', 'npx', ['vitest', 'run']],
];
for (const [name, cmd, args] of steps) {
  process.stdout.write(`\n== ${name}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    process.stdout.write(`\n${name} failed (exit ${r.status ?? r.signal})\n0 passed, 1 failed\n`);
    process.exit(r.status ?? 1);
  }
}
