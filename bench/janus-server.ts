/**
 * @module bench/janus-server — Janus under test, as Debian ships it: installs `janus` and `ffmpeg` with
 * apt if missing, copies /etc/janus to a temporary folder and changes only what the bench needs
 * (bench/janus-config.ts: ICE on one local address, HTTP on 127.0.0.1 at a free port, Streaming with one Opus
 * RTP mountpoint, nothing else loaded), starts `janus` pinned to the server core, waits for its HTTP
 * API, then starts an ffmpeg feeder sending the same 32 kbit/s Opus program Amphi serves and waits
 * until the mountpoint receives it. stop() ends both and deletes the folder; it also runs when starting
 * fails, and on process exit, so neither process ever outlives the bench.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freeTcpPort } from './ports.ts';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { JanusApi } from './janus-api.ts';
import { coreConfig, FRAME_MS, iceEnforceAddress, httpTransportConfig, MOUNTPOINT_ID, OPUS_PT, PROGRAM_KBPS, streamingConfig } from './janus-config.ts';
import { JanusBenchError } from './janus-error.ts';
import { note } from './progress.ts';

const JANUS_LIB = '/usr/lib/x86_64-linux-gnu/janus';
const APT_LOG = '/tmp/apt.log';
const TAIL = 40;

export interface JanusServerOptions {
  /** core Janus is pinned to (null: not pinned) */
  readonly core: number | null;
  /** core the ffmpeg feeder runs on: keep it off Janus's core so its CPU is not counted as Janus's */
  readonly feederCore: number | null;
  readonly startTimeoutMs?: number;
  /** ice_enforce_list; default: the machine's first non-loopback IPv4 address (janus-config.ts says why) */
  readonly iceEnforce?: string;
}

export interface JanusServer {
  readonly pid: number;
  readonly feederPid: number;
  readonly api: JanusApi;
  readonly mountpointId: number;
  readonly version: string;
  readonly configDir: string;
  logTail(): string[];
  stop(): Promise<void>;
}

// ---- installation -------------------------------------------------------------------------------

const onPath = (bin: string): boolean => {
  try {
    execFileSync('bash', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** waits while another apt run (the machine's setup, logging to /tmp/apt.log) has not finished */
async function waitForSetupApt(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (existsSync(APT_LOG) && !readFileSync(APT_LOG, 'utf8').includes('APTDONE')) {
    if (Date.now() > deadline) throw new JanusBenchError('not_installed', `${APT_LOG} shows no APTDONE after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

export async function ensureInstalled(): Promise<void> {
  const needed = (): string[] => ['janus', 'ffmpeg'].filter((b) => !onPath(b));
  if (needed().length === 0) return;
  await waitForSetupApt(20 * 60_000);
  const missing = needed();
  if (missing.length === 0) return;
  note(`installing ${missing.join(' ')} with apt…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = (): void => {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, stdio: 'ignore', timeout: 15 * 60_000 });
  };
  try {
    install();
  } catch {
    // A fresh machine may have no package lists yet: fetch them once and try again.
    execFileSync('apt-get', ['update'], { env, stdio: 'ignore', timeout: 10 * 60_000 });
    install();
  }
  const still = needed();
  if (still.length > 0) throw new JanusBenchError('not_installed', `apt-get did not install ${still.join(' ')}`);
}

// ---- ports and configuration --------------------------------------------------------------------

export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const port = s.address().port;
      s.close(() => resolve(port));
    });
  });
}

const listing = (folder: string): string[] => (existsSync(folder) ? readdirSync(folder) : []);

/** copies /etc/janus into a new temporary folder and rewrites the three files the bench needs */
export function writeConfigDir(httpPort: number, audioPort: number, iceEnforce: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'amphi-janus-'));
  cpSync('/etc/janus', dir, { recursive: true });
  const core = readFileSync(join(dir, 'janus.jcfg'), 'utf8');
  writeFileSync(
    join(dir, 'janus.jcfg'),
    coreConfig(core, {
      configsFolder: dir,
      iceEnforce,
      plugins: listing(join(JANUS_LIB, 'plugins')),
      transports: listing(join(JANUS_LIB, 'transports')),
      loggers: listing(join(JANUS_LIB, 'loggers')),
    }),
  );
  const http = readFileSync(join(dir, 'janus.transport.http.jcfg'), 'utf8');
  writeFileSync(join(dir, 'janus.transport.http.jcfg'), httpTransportConfig(http, httpPort));
  writeFileSync(join(dir, 'janus.plugin.streaming.jcfg'), streamingConfig({ id: MOUNTPOINT_ID, audioPort, payloadType: OPUS_PT }));
  return dir;
}

// ---- processes ----------------------------------------------------------------------------------

interface SystemProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly exited: Promise<number | null>;
  stop(graceMs?: number): Promise<void>;
}

/**
 * Runs `cmd args` pinned to `core` with a raised open-files limit (each WebRTC handle holds sockets
 * and an event-loop thread in Janus), exec'd so its pid is the one /proc reports on. Lines of its
 * output go to `onLine`. A process exit of the bench kills it, whatever path the bench takes out.
 */
function spawnSystem(core: number | null, cmd: string, args: readonly string[], onLine: (line: string) => void): SystemProcess {
  const script = `ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; ` + (core === null ? 'exec "$@"' : `exec taskset -c ${core} "$@"`);
  const child = spawn('bash', ['-c', script, 'bench-janus', cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new JanusBenchError('start_failed', `could not start ${cmd}`);
  const pid = child.pid;
  for (const s of [child.stdout, child.stderr]) if (s !== null) createInterface({ input: s }).on('line', onLine);
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  const killNow = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killNow);
  return {
    child,
    pid,
    exited,
    stop: async (graceMs = 5000) => {
      process.off('exit', killNow);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(killNow, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitFor<T>(what: string, timeoutMs: number, died: Promise<unknown>, attempt: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void died.then(() => (dead = true));
  let last: unknown = null;
  while (Date.now() < deadline && !dead) {
    try {
      const v = await attempt();
      if (v !== null) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const why = dead ? 'the process exited' : `no success within ${timeoutMs} ms`;
  throw new JanusBenchError('start_failed', `${what}: ${why}${last instanceof Error ? ` (last error: ${last.message})` : ''}`, { cause: last });
}

/** true once the mountpoint has had a packet from the feeder in the last second */
async function programFlowing(api: JanusApi, session: number, handle: number): Promise<boolean> {
  const m = await api.message(session, handle, { request: 'info', id: MOUNTPOINT_ID });
  const info = m.plugindata?.data['info'];
  if (typeof info !== 'object' || info === null) return false;
  const media = (info as { media?: unknown }).media;
  const first: unknown = Array.isArray(media) ? media[0] : undefined;
  const age = typeof first === 'object' && first !== null ? (first as { age_ms?: unknown }).age_ms : undefined;
  return typeof age === 'number' && age < 1000;
}

export async function startJanusServer(o: JanusServerOptions): Promise<JanusServer> {
  await ensureInstalled();
  const timeoutMs = o.startTimeoutMs ?? 30_000;
  const [httpPort, audioPort] = [await freeTcpPort(), await freeUdpPort()];
  const configDir = writeConfigDir(httpPort, audioPort, o.iceEnforce ?? iceEnforceAddress(networkInterfaces()));
  const tail: string[] = [];
  const keep = (who: string) => (line: string): void => {
    tail.push(`${who}: ${line}`);
    if (tail.length > TAIL) tail.shift();
  };
  const started: SystemProcess[] = [];
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await Promise.all(started.map((p) => p.stop()));
    rmSync(configDir, { recursive: true, force: true });
  };
  try {
    const janus = spawnSystem(o.core, 'janus', ['-F', configDir, '-C', join(configDir, 'janus.jcfg'), '-o'], keep('janus'));
    started.push(janus);
    const api = new JanusApi(`http://127.0.0.1:${httpPort}/janus`);
    const info = await waitFor('Janus HTTP API', timeoutMs, janus.exited, () => api.info(2000));
    if (!('janus.plugin.streaming' in info.plugins)) throw new JanusBenchError('start_failed', 'Janus runs without its Streaming plugin');
    const feeder = spawnSystem(
      o.feederCore,
      'ffmpeg',
      // prettier-ignore
      ['-nostdin', '-hide_banner', '-loglevel', 'warning', '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
        '-c:a', 'libopus', '-b:a', `${PROGRAM_KBPS}k`, '-ac', '1', '-frame_duration', String(FRAME_MS),
        '-payload_type', String(OPUS_PT), '-sdp_file', join(configDir, 'program.sdp'), '-f', 'rtp', `rtp://127.0.0.1:${audioPort}`],
      keep('ffmpeg'),
    );
    started.push(feeder);
    // A throwaway session asks the plugin whether the program arrives, so a ramp never starts on silence.
    const session = await api.createSession();
    const handle = await api.attach(session, 'janus.plugin.streaming');
    await waitFor('the mountpoint to receive the program', timeoutMs, Promise.race([janus.exited, feeder.exited]), async () =>
      (await programFlowing(api, session, handle)) ? true : null,
    );
    await api.destroy(session);
    note(`Janus ${info.version_string} (pid ${janus.pid}) on 127.0.0.1:${httpPort}, program on udp ${audioPort} (ffmpeg pid ${feeder.pid})`);
    return { pid: janus.pid, feederPid: feeder.pid, api, mountpointId: MOUNTPOINT_ID, version: info.version_string, configDir, logTail: () => [...tail], stop };
  } catch (err) {
    await stop();
    if (err instanceof JanusBenchError) throw new JanusBenchError(err.code, `${err.message}\n${tail.join('\n')}`, { cause: err });
    throw err;
  }
}
