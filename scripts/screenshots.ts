// `npm run screenshots`: refreshes docs/screenshots/ from the current build (the browser tests with
// AMPHI_SCREENSHOTS=docs; give test files to run only those), then fails if any screenshot there is
// older than the code it shows: each PNG carries the hash of the web build's sources it was taken
// from (test/support/screenshot-stamp.ts), and a screenshot no test refreshed keeps an old hash, or
// none. Content hashes, not file times: on a fresh clone every file has the clone's mtime.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { staleScreenshots, webSourceHash } from '../test/support/screenshot-stamp.ts';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const DIR = `${REPO}docs/screenshots`;
const files = process.argv.slice(2);

const run = spawnSync('npx', ['vitest', 'run', ...(files.length > 0 ? files : ['test/e2e'])], {
  cwd: REPO,
  stdio: 'inherit',
  env: { ...process.env, AMPHI_SCREENSHOTS: 'docs' },
});
if (run.status !== 0) {
  process.stdout.write(`\nscreenshots: the browser tests failed (exit ${run.status ?? run.signal}); screenshots may be half refreshed\n`);
  process.exit(run.status ?? 1);
}
const hash = webSourceHash(REPO);
const stale = staleScreenshots(DIR, hash);
if (stale.length > 0) {
  process.stdout.write(`\nscreenshots: ${stale.length} in docs/screenshots/ do not show the current web code (${hash.slice(0, 12)}):\n`);
  for (const s of stale) process.stdout.write(`  ${s.file}: ${s.stamp === null ? 'never stamped' : `taken from ${s.stamp.slice(0, 12)}`}: no browser test refreshed it; refresh it or delete it\n`);
  process.exit(1);
}
process.stdout.write(`\nscreenshots: all in docs/screenshots/ show the current web code (${hash.slice(0, 12)})\n`);
