#!/usr/bin/env node
// `npm test`: type-check, check the import direction of DESIGN.md §2, then run every test.
// Each step stops the run on failure; the last line printed is vitest's `N passed, N failed` summary.
import { spawnSync } from 'node:child_process';

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
