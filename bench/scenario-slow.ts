/**
 * @module bench/scenario-slow — listeners that stop reading must not slow the others: N listeners, a
 * window with everyone reading, then a share of them stop reading (their sockets paused, so kernel
 * buffers fill and the server sees them fall behind) and a second window measures the others. At the
 * end the paused ones read again, which shows what the server did with them (frames skipped, 4008).
 */
import type { AmphiBench } from './bench-context.ts';
import { bar, note } from './progress.ts';
import type { SlowResult } from './results.ts';

/** how long the paused listeners read again at the end to show what the server did to them */
const READ_BACK_MS = 3000;

export async function runSlow(b: AmphiBench): Promise<SlowResult> {
  const { opts } = b;
  const open = bar(`${opts.slowListeners} listeners`, opts.slowListeners);
  await b.loadgen.open(await b.target(), opts.slowListeners, opts.concurrency, (done) => open.update(done));
  open.stop();
  await new Promise((r) => setTimeout(r, opts.settleMs));
  const before = await b.measure('window, everyone reading', opts.windowMs);
  const paused = await b.loadgen.pause(opts.slowShare);
  note(`${paused} listeners stopped reading`);
  const during = await b.measure(`window, ${paused} not reading`, opts.slowMs);
  const slowAfterResume = await b.loadgen.resumeSlow(READ_BACK_MS);
  note(
    `others' p99 ${before.base.delay.p99.toFixed(1)} -> ${during.base.delay.p99.toFixed(1)} ms, lost ${before.base.framesLost} -> ${during.base.framesLost}; ` +
      `the paused ones after reading again: ${slowAfterResume.framesLost} frames skipped, closes ${JSON.stringify(slowAfterResume.closes)}`,
  );
  return {
    scenario: 'slow',
    ...b.runInfo(),
    listeners: opts.slowListeners,
    share: opts.slowShare,
    paused,
    before,
    during,
    slowAfterResume,
  };
}
