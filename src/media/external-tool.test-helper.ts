/**
 * @module media/external-tool — decides whether a test may use a program outside Node (ffmpeg, sox,
 * espeak-ng) that npm cannot install. When CI is 'true' the tool is required and a missing one fails
 * the suite; elsewhere the test is skipped with one loud line saying how to install it (`npm test`
 * installs them itself, scripts/test.mjs). A check that needs a tool must never pass, or vanish, in
 * silence because the tool is not there. Test code only; must never be imported by production code.
 */
import { spawnSync } from 'node:child_process';

export type ExternalTool = 'ffmpeg' | 'sox' | 'espeak-ng';

const VERSION_FLAG: Readonly<Record<ExternalTool, string>> = { ffmpeg: '-version', sox: '--version', 'espeak-ng': '--version' };

/**
 * true when `tool` runs. Otherwise: under CI=true it throws; elsewhere it prints one line naming what
 * did not run and returns false, for `it.skipIf(!toolForTests(...))`
 */
export function toolForTests(tool: ExternalTool, check: string): boolean {
  const r = spawnSync(tool, [VERSION_FLAG[tool]], { stdio: 'ignore' });
  if (!r.error && r.status === 0) return true;
  const why = r.error ? r.error.message : `exit ${r.status ?? r.signal}`;
  if (process.env['CI'] === 'true') throw new Error(`${tool} is required with CI=true for: ${check} (${why}); install it: apt-get install -y ${tool}`);
  console.warn(`\n*** ${tool} not found (${why}): SKIPPING ${check}; install it: apt-get install -y ${tool} (npm test does) ***\n`);
  return false;
}
