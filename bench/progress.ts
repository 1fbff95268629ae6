/**
 * @module bench/progress — progress bars for the bench's long phases (opening thousands of sockets,
 * measuring windows, storms) with cli-progress, and one plain log line per phase so a log file or a
 * CI run without a terminal still shows where the bench is. Cosmetic: never affects a measurement.
 */
import cliProgress from 'cli-progress';

const tty = process.stderr.isTTY === true;

export function note(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

export interface Bar {
  update(done: number): void;
  stop(): void;
}

export function bar(label: string, total: number, unit = ''): Bar {
  note(`${label}…`);
  if (!tty) return { update: () => undefined, stop: () => undefined };
  const b = new cliProgress.SingleBar(
    { format: `  ${label.padEnd(34)} [{bar}] {value}/{total}${unit} {duration_formatted}`, hideCursor: true, stream: process.stderr, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  b.start(total, 0);
  return {
    update: (done) => b.update(Math.min(done, total)),
    stop: () => b.stop(),
  };
}

/** waits `ms`, showing a bar by the second */
export async function timedBar(label: string, ms: number): Promise<void> {
  const b = bar(label, Math.round(ms / 1000), ' s');
  const start = Date.now();
  const tick = setInterval(() => b.update(Math.floor((Date.now() - start) / 1000)), 250);
  await new Promise((r) => setTimeout(r, ms));
  clearInterval(tick);
  b.stop();
}
