/**
 * @module bench/icecast-server — Icecast2 for a side-by-side run: installs Debian's icecast2 and ffmpeg
 * when missing, writes a config of its own into a temp directory (loopback port chosen free, logs
 * there, `<changeowner>` to the icecast2 user when we are root, since it refuses to run as root),
 * starts icecast2 pinned to the server core and the ffmpeg feeder pinned to the generator's core, and
 * waits until the mount is live. `stop` ends both and removes the directory, whatever state they are
 * in; it never leaves a process or a file behind, and talks to nothing but 127.0.0.1.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { feederArgs, icecastXml, MOUNT, type IcecastVariant } from './icecast-config.ts';
import { wallNow } from './listener-pool.ts';
import { spawnPinnedProgram, type PinnedChild } from './pinned-child.ts';
import { acceptsTcp, freeTcpPort } from './ports.ts';
import { note } from './progress.ts';

const ICECAST = '/usr/bin/icecast2';
const FFMPEG = '/usr/bin/ffmpeg';
const SHARE = '/usr/share/icecast2';
/** the system user Debian's package creates; icecast2 switches to it when started as root */
const ICECAST_USER = 'icecast2';
const START_TIMEOUT_MS = 20_000;
const TAIL = 30;

export type IcecastBenchErrorReason = 'install-failed' | 'no-user' | 'start-failed' | 'mount-not-live' | 'reference-failed';

export class IcecastBenchError extends Error {
  override readonly name = 'IcecastBenchError';
  readonly reason: IcecastBenchErrorReason;

  constructor(reason: IcecastBenchErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

export interface IcecastRun {
  readonly pid: number;
  readonly feederPid: number;
  readonly port: number;
  readonly mount: string;
  /** wall time (ms since the epoch) just before ffmpeg was started: the base of the listeners' clock */
  readonly feederStartWallMs: number;
  readonly feederCommand: string;
  /** the last lines icecast2 and ffmpeg printed, and icecast's error log, for error reports */
  logTail(): string[];
  stop(): Promise<void>;
}

/** installs icecast2 and ffmpeg with apt when either is missing (as scripts/test.mjs does for Chromium) */
export function ensureIcecastTools(): void {
  if (existsSync(ICECAST) && existsSync(FFMPEG)) return;
  const cmd = 'apt-get update && apt-get install -y icecast2 ffmpeg';
  note(`icecast2 or ffmpeg is missing; running: ${cmd}`);
  const r = spawnSync('sh', ['-c', cmd], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0 || !existsSync(ICECAST) || !existsSync(FFMPEG)) {
    throw new IcecastBenchError('install-failed', `installing icecast2 and ffmpeg failed (exit ${r.status ?? r.signal ?? '?'})`);
  }
}

/** "Icecast 2.4.4" and "ffmpeg version 5.1.9-…", for the report */
export function icecastVersions(): { icecast: string; ffmpeg: string } {
  const first = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8' }).split('\n')[0]?.trim() ?? '?';
  return { icecast: first(ICECAST, ['-v']), ffmpeg: first(FFMPEG, ['-version']).replace(/ Copyright.*$/, '') };
}

function owner(): { user: string; group: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  try {
    const id = (flag: string): string => execFileSync('id', [flag, ICECAST_USER], { encoding: 'utf8' }).trim();
    return { user: ICECAST_USER, group: id('-gn'), uid: Number(id('-u')), gid: Number(id('-g')) };
  } catch (err) {
    throw new IcecastBenchError('no-user', `running as root, icecast2 needs the '${ICECAST_USER}' user (Debian's package creates it)`, { cause: err });
  }
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** the HTTP status a GET of the mount gets (200 once the feeder is connected), or 0 */
const mountStatus = (port: number): Promise<number> =>
  new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: MOUNT, timeout: 2000 }, (res) => {
      resolve(res.statusCode ?? 0);
      res.destroy();
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(0));
    req.end();
  });

async function waitFor(what: string, check: () => Promise<boolean>, procs: readonly PinnedChild[], tail: () => string[]): Promise<void> {
  const until = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < until) {
    if (await check()) return;
    const dead = procs.find((p) => p.child.exitCode !== null || p.child.signalCode !== null);
    if (dead !== undefined) throw new IcecastBenchError('start-failed', `${what}: a process exited (${dead.child.exitCode ?? dead.child.signalCode}):\n${tail().join('\n')}`);
    await pause(100);
  }
  throw new IcecastBenchError(what.startsWith('mount') ? 'mount-not-live' : 'start-failed', `${what} within ${START_TIMEOUT_MS} ms:\n${tail().join('\n')}`);
}

export interface IcecastStart {
  readonly variant: IcecastVariant;
  readonly serverCore: number | null;
  readonly feederCore: number | null;
  /** the most listeners the run opens */
  readonly maxListeners: number;
}

export async function startIcecast(o: IcecastStart): Promise<IcecastRun> {
  const who = owner();
  const dir = mkdtempSync(join(tmpdir(), 'amphi-icecast-'));
  // After <changeowner> icecast2 opens its logs as that user: the directory must be theirs.
  if (who !== null) chownSync(dir, who.uid, who.gid);
  const port = await freeTcpPort();
  const password = randomBytes(12).toString('hex');
  const conf = join(dir, 'icecast.xml');
  // Room above the largest step: the reference listener, the readiness probe, and slack for sockets
  // of a previous step still closing.
  writeFileSync(conf, icecastXml({ variant: o.variant, port, password, clients: o.maxListeners + 100, dir, owner: who, shareDir: SHARE }));
  const tail: string[] = [];
  const keep = (source: string) => (line: string): void => {
    tail.push(`${source}: ${line}`);
    if (tail.length > TAIL) tail.shift();
  };
  const logTail = (): string[] => {
    const errorLog = join(dir, 'error.log');
    const log = existsSync(errorLog) ? readFileSync(errorLog, 'utf8').trim().split('\n').slice(-10).map((l) => `error.log: ${l}`) : [];
    return [...tail, ...log];
  };
  const procs: PinnedChild[] = [];
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
  // On Ctrl-C the bench exits at once (its children are killed by pinned-child): the directory goes too.
  process.once('exit', removeDir);
  const stop = async (): Promise<void> => {
    // The feeder first, so icecast does not log a lost source while it shuts down.
    for (const p of [...procs].reverse()) await p.stop();
    process.off('exit', removeDir);
    removeDir();
  };
  const pipeLines = (p: PinnedChild, source: string): void => {
    if (p.child.stdout) createInterface({ input: p.child.stdout }).on('line', keep(source));
    if (p.child.stderr) createInterface({ input: p.child.stderr }).on('line', keep(source));
  };
  try {
    const icecast = spawnPinnedProgram(o.serverCore, ICECAST, ['-c', conf], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    procs.push(icecast);
    pipeLines(icecast, 'icecast2');
    await waitFor('icecast2 did not listen', () => acceptsTcp(port), procs, logTail);
    const args = feederArgs(o.variant, port, password);
    const feederStartWallMs = wallNow();
    const feeder = spawnPinnedProgram(o.feederCore, FFMPEG, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    procs.push(feeder);
    pipeLines(feeder, 'ffmpeg');
    await waitFor('mount did not go live', async () => (await mountStatus(port)) === 200, procs, logTail);
    return {
      pid: icecast.pid,
      feederPid: feeder.pid,
      port,
      mount: MOUNT,
      feederStartWallMs,
      feederCommand: `ffmpeg ${args.join(' ').replace(password, 'PASSWORD')}`,
      logTail,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
