/**
 * @module test/support/amphi-process — runs the real server as a child process (`node --import tsx
 * src/main.ts`), as an operator would, so a test can kill it with SIGKILL mid-work and start it again
 * on the same data. Resolves once the server logs its URL. Test and bench code only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface AmphiProcess {
  readonly url: string;
  /** its listener sockets' port (uWebSockets.js), as it logged it; 0 when listeners use the main port */
  readonly listenPort: number;
  readonly child: ChildProcess;
  /** the JSON log lines so far */
  readonly log: Array<Record<string, unknown>>;
  /** SIGKILL: no shutdown code runs, as in a crash */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export function startAmphiProcess(env: Record<string, string>): Promise<AmphiProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', AMPHI_PORT: '0', AMPHI_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: Array<Record<string, unknown>> = [];
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      let at: number;
      while ((at = buf.indexOf('\n')) !== -1) {
        const line = buf.slice(0, at);
        buf = buf.slice(at + 1);
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          log.push(entry);
          const url = entry['url'];
          if (typeof url === 'string' && String(entry['msg']).startsWith('Amphi is listening')) {
            resolve({
              url,
              listenPort: typeof entry['listenPort'] === 'number' ? entry['listenPort'] : 0,
              child,
              log,
              kill: async () => {
                child.kill('SIGKILL');
                await exited;
              },
              stop: async () => {
                child.kill('SIGTERM');
                await exited;
              },
            });
          }
        } catch {
          // a line that is not JSON (a warning from a dependency): not ours to parse
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`amphi exited (${code}) before listening: ${stderr.slice(0, 2000)}`)));
  });
}

/** one process as the servers of a restart scenario: its url, a crash, an orderly stop */
export const oneProcess = (p: AmphiProcess): { readonly url: string; crash(): Promise<void>; stop(): Promise<void> } => ({
  url: p.url,
  crash: () => p.kill(),
  stop: () => p.stop(),
});
