/**
 * @module config — reads Amphi's settings from environment variables, checks each one, and returns a
 * typed Config. A bad value ends start-up with one line naming the variable and what is allowed (exit
 * code 2, raised by main.ts from ConfigError). The only side effect is creating the data directory and
 * the generated secret file on first start. Only main.ts imports this.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** empty: SQLite in dataDir; postgres://... : PostgreSQL */
  readonly databaseUrl: string;
  /** the address people use to reach Amphi; its origin is the one state-changing requests must come from */
  readonly publicUrl: string;
  /** signs sessions' companions and listener join tokens; at least 32 characters */
  readonly secret: string;
  /** how often room-wide state is pushed (only when it changed) */
  readonly tickMs: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** how much program audio goes into one listener message (a multiple of 20 ms) */
  readonly batchMs: number;
  /** the batch length while the node has at least busyListeners listeners */
  readonly busyBatchMs: number;
  readonly busyListeners: number;
  /** the batch length from peakListeners listeners on: the longest, the fewest writes per listener */
  readonly peakBatchMs: number;
  readonly peakListeners: number;
  /** program Opus bitrate, bit/s */
  readonly opusBitrate: number;
  /**
   * the address WebRTC (speakers) uses: 127.0.0.1 keeps media on loopback (one machine); a public or
   * LAN address is announced to browsers and no pair filter applies
   */
  readonly rtcIp: string;
  /**
   * the UDP ports stage peers bind (AMPHI_RTC_PORTS=lo-hi), so a firewall rule can name them; null: the
   * system picks an ephemeral port. One port per stage member at a time.
   */
  readonly rtcPorts: readonly [number, number] | null;
  /** TURN servers handed to stage members (turn:/turns: URLs); empty: no relay, direct UDP only */
  readonly turnUrls: readonly string[];
  /** the coturn `static-auth-secret` the short-lived TURN credentials are signed with; null without TURN */
  readonly turnSecret: string | null;
  /** how long a TURN credential is valid, seconds */
  readonly turnTtlS: number;
  /** listeners this node serves before joins wait in line */
  readonly maxListeners: number;
  /** listener joins admitted per second at most */
  readonly joinRate: number;
  /** which library serves the listeners' sockets: uWebSockets.js on its own port (default) or `ws` on the main port */
  readonly listenerSockets: ListenerSockets;
  /** the uWebSockets.js listener port (0: the system picks a free one) */
  readonly listenPort: number;
  /** the public base URL of the listener sockets (ws:// or wss://), or null: the page's host at listenPort */
  readonly listenUrl: string | null;
  /** AMPHI_PUBLIC_URL was given: build addresses from it, never from a request's Host (a proxy may rewrite it) */
  readonly publicUrlSet: boolean;
  /** places the waiting line holds before joins get 503 */
  readonly maxWaiting: number;
  /** accounts one address may create per hour */
  readonly signUpsPerHour: number;
  /** event-loop delay (p99 over 250 ms, in ms) above which nobody new is admitted */
  readonly maxLagMs: number;
  /** share of its time a node may spend writing audio batches before new listeners wait in line */
  readonly maxDeliveryDuty: number;
  /** NATS servers (comma-separated); empty = a single node, everything in-process */
  readonly natsUrl: string;
  /** what this node does in a cluster: all (stage and listeners), origin (stage, mixer, room control), edge (listeners) */
  readonly nodeRole: NodeRole;
  /** this node's id in the cluster (AMPHI_NODE_ID, else generated once and kept in the data dir) */
  readonly nodeId: string;
  /** AMPHI_ADMIN_TOKEN: the bearer token of the operators' calls (POST /api/admin/drain); null: no admin calls */
  readonly adminToken: string | null;
  /** where rooms' programs are produced: a worker thread of their own (default) or the main thread */
  readonly mediaThread: MediaThread;
}

export const NODE_ROLES = ['all', 'origin', 'edge'] as const;
export type NodeRole = (typeof NODE_ROLES)[number];

export const MEDIA_THREADS = ['worker', 'main'] as const;
export type MediaThread = (typeof MEDIA_THREADS)[number];

export const LISTENER_SOCKETS = ['uws', 'ws'] as const;
export type ListenerSockets = (typeof LISTENER_SOCKETS)[number];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function intIn(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return Number(raw);
}

function hostOf(env: Env): string {
  const raw = env['AMPHI_HOST'] ?? '';
  if (raw === '') return '127.0.0.1';
  if (!/^[A-Za-z0-9.:_-]+$/.test(raw) || raw.length > 253) {
    throw new ConfigError('AMPHI_HOST', `AMPHI_HOST must be an IP address or host name, e.g. 127.0.0.1 or 0.0.0.0 (got "${raw}")`);
  }
  return raw;
}

function databaseUrlOf(env: Env): string {
  const raw = env['AMPHI_DATABASE_URL'] ?? '';
  if (raw === '') return '';
  if (!/^postgres(ql)?:\/\/./.test(raw)) {
    throw new ConfigError(
      'AMPHI_DATABASE_URL',
      'AMPHI_DATABASE_URL must be empty (SQLite in AMPHI_DATA_DIR) or a postgres:// URL, e.g. postgres://user@127.0.0.1:5432/amphi',
    );
  }
  return raw;
}

function publicUrlOf(env: Env, host: string, port: number): string {
  const raw = env['AMPHI_PUBLIC_URL'] ?? '';
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  if (raw === '') return `http://${shownHost}:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('AMPHI_PUBLIC_URL', `AMPHI_PUBLIC_URL must be an http(s) URL, e.g. https://amphi.example.org (got "${raw}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('AMPHI_PUBLIC_URL', `AMPHI_PUBLIC_URL must start with http:// or https:// (got "${raw}")`);
  }
  return url.origin;
}

function listenUrlOf(env: Env): string | null {
  const raw = env['AMPHI_LISTEN_URL'] ?? '';
  if (raw === '') return null;
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'ws:' && url.protocol !== 'wss:') || url.pathname !== '/' || url.search !== '') {
    throw new ConfigError('AMPHI_LISTEN_URL', `AMPHI_LISTEN_URL must be a ws:// or wss:// origin (no path) where browsers reach /ws/listen and /ws/line, e.g. wss://amphi.example.org (got "${raw}")`);
  }
  return url.origin.replace(/^http/, 'ws');
}

function secretOf(env: Env, dataDir: string): string {
  const raw = env['AMPHI_SECRET'];
  if (raw !== undefined && raw !== '') {
    if (raw.length < 32) throw new ConfigError('AMPHI_SECRET', 'AMPHI_SECRET must be at least 32 characters (or unset to generate one)');
    return raw;
  }
  return keptInDataDir(dataDir, 'secret', () => randomBytes(32).toString('base64url'), (stored, file) => {
    if (stored.length < 32) throw new ConfigError('AMPHI_SECRET', `the stored secret in ${file} is shorter than 32 characters; delete it to generate a new one`);
  });
}

/** a value made once on first start and kept in the data dir (checked when read back), so a restart keeps it */
function keptInDataDir(dataDir: string, name: string, make: () => string, check: (stored: string, file: string) => void): string {
  const file = join(dataDir, name);
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    check(stored, file);
    return stored;
  }
  const made = make();
  writeFileSync(file, `${made}\n`, { mode: 0o600 });
  return made;
}

/** Reads and checks the whole configuration; throws ConfigError on the first bad value. */
export function loadConfig(env: Env): Config {
  const port = intIn(env, 'AMPHI_PORT', 8080, 0, 65535);
  const host = hostOf(env);
  const dataDir = resolve(env['AMPHI_DATA_DIR'] || './data');
  const databaseUrl = databaseUrlOf(env);
  const publicUrl = publicUrlOf(env, host, port);
  const tickMs = intIn(env, 'AMPHI_TICK_MS', 500, 50, 10_000);
  const logLevelRaw = env['AMPHI_LOG_LEVEL'] || 'info';
  const logLevel = LOG_LEVELS.find((l) => l === logLevelRaw);
  if (logLevel === undefined) throw new ConfigError('AMPHI_LOG_LEVEL', `AMPHI_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevelRaw}")`);
  const batchMs = intIn(env, 'AMPHI_BATCH_MS', 60, 20, 1000);
  if (batchMs % 20 !== 0) throw new ConfigError('AMPHI_BATCH_MS', `AMPHI_BATCH_MS must be a multiple of 20 (one Opus frame), from 20 to 1000 (got "${batchMs}")`);
  const busyBatchMs = intIn(env, 'AMPHI_BUSY_BATCH_MS', Math.max(120, batchMs), 20, 1000);
  if (busyBatchMs % 20 !== 0 || busyBatchMs < batchMs) throw new ConfigError('AMPHI_BUSY_BATCH_MS', `AMPHI_BUSY_BATCH_MS must be a multiple of 20, at least AMPHI_BATCH_MS (${batchMs}) and at most 1000 (got "${busyBatchMs}")`);
  const busyListeners = intIn(env, 'AMPHI_BUSY_LISTENERS', 5_000, 1, 10_000_000);
  const peakBatchMs = intIn(env, 'AMPHI_PEAK_BATCH_MS', Math.max(160, busyBatchMs), 20, 1000);
  if (peakBatchMs % 20 !== 0 || peakBatchMs < busyBatchMs) throw new ConfigError('AMPHI_PEAK_BATCH_MS', `AMPHI_PEAK_BATCH_MS must be a multiple of 20, at least AMPHI_BUSY_BATCH_MS (${busyBatchMs}) and at most 1000 (got "${peakBatchMs}")`);
  const peakListeners = intIn(env, 'AMPHI_PEAK_LISTENERS', Math.max(10_000, busyListeners + 1), 1, 10_000_000);
  if (peakListeners <= busyListeners) throw new ConfigError('AMPHI_PEAK_LISTENERS', `AMPHI_PEAK_LISTENERS must be above AMPHI_BUSY_LISTENERS (${busyListeners}) (got "${peakListeners}")`);
  const opusBitrate = intIn(env, 'AMPHI_OPUS_BITRATE', 32_000, 16_000, 128_000);
  const rtcIp = env['AMPHI_RTC_IP'] || '127.0.0.1';
  if (!/^(\d{1,3}\.){3}\d{1,3}$/.test(rtcIp)) throw new ConfigError('AMPHI_RTC_IP', `AMPHI_RTC_IP must be an IPv4 address browsers can reach, e.g. 203.0.113.7 (got "${rtcIp}")`);
  const rtcPorts = rtcPortsOf(env);
  const turn = turnOf(env);
  const maxListeners = intIn(env, 'AMPHI_MAX_LISTENERS', 20_000, 1, 10_000_000);
  // a signed-out join (ticket + socket on the listener port) measured ~140 µs of server CPU: 5,000/s leaves room for the fan-out
  const joinRate = intIn(env, 'AMPHI_JOIN_RATE', 5_000, 1, 1_000_000);
  const socketsRaw = env['AMPHI_LISTENER_SOCKETS'] || 'uws';
  const listenerSockets = LISTENER_SOCKETS.find((l) => l === socketsRaw);
  if (listenerSockets === undefined) throw new ConfigError('AMPHI_LISTENER_SOCKETS', `AMPHI_LISTENER_SOCKETS must be one of ${LISTENER_SOCKETS.join(', ')} (got "${socketsRaw}")`);
  // the listener port sits next to the main one; tests that let the system pick a port get the same here
  const listenPort = intIn(env, 'AMPHI_LISTEN_PORT', port === 0 ? 0 : port + 1, 0, 65535);
  if (listenPort > 65535) throw new ConfigError('AMPHI_LISTEN_PORT', `AMPHI_LISTEN_PORT defaults to AMPHI_PORT + 1, which is no port (${listenPort}): set it`);
  if (listenerSockets === 'uws' && listenPort !== 0 && listenPort === port) throw new ConfigError('AMPHI_LISTEN_PORT', `AMPHI_LISTEN_PORT must differ from AMPHI_PORT (both ${port})`);
  const listenUrl = listenUrlOf(env);
  if (listenUrl !== null && listenerSockets === 'ws') {
    throw new ConfigError('AMPHI_LISTEN_URL', 'AMPHI_LISTEN_URL is for the listener port of AMPHI_LISTENER_SOCKETS=uws; with ws the sockets share AMPHI_PUBLIC_URL: unset it');
  }
  if (listenUrl === null && listenerSockets === 'uws' && publicUrl.startsWith('https:')) {
    // the listener port speaks plain ws: behind TLS, the proxy must serve it and tickets must say where
    throw new ConfigError('AMPHI_LISTEN_URL', 'AMPHI_PUBLIC_URL is https, so set AMPHI_LISTEN_URL to the wss:// origin where your proxy serves /ws/listen and /ws/line (the listener port itself speaks plain ws)');
  }
  const publicUrlSet = (env['AMPHI_PUBLIC_URL'] ?? '') !== '';
  const maxWaiting = intIn(env, 'AMPHI_MAX_WAITING', 1_000_000, 0, 100_000_000);
  const signUpsPerHour = intIn(env, 'AMPHI_SIGNUPS_PER_HOUR', 20, 1, 1_000_000);
  const maxLagMs = intIn(env, 'AMPHI_MAX_LAG_MS', 200, 10, 60_000);
  const dutyPercent = intIn(env, 'AMPHI_MAX_DELIVERY_PERCENT', 70, 10, 100);
  const maxDeliveryDuty = dutyPercent / 100;
  const threadRaw = env['AMPHI_MEDIA_THREAD'] || 'worker';
  const mediaThread = MEDIA_THREADS.find((t) => t === threadRaw);
  if (mediaThread === undefined) throw new ConfigError('AMPHI_MEDIA_THREAD', `AMPHI_MEDIA_THREAD must be one of ${MEDIA_THREADS.join(', ')} (got "${threadRaw}")`);
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    throw new ConfigError('AMPHI_DATA_DIR', `AMPHI_DATA_DIR must be a directory Amphi can create and write (${dataDir}: ${(err as Error).message})`);
  }
  const secret = secretOf(env, dataDir);
  const natsUrl = (env['AMPHI_NATS_URL'] ?? '').trim();
  for (const server of natsUrl === '' ? [] : natsUrl.split(',')) {
    if (!/^(nats|tls):\/\/[^\s/]+$/.test(server.trim())) throw new ConfigError('AMPHI_NATS_URL', `AMPHI_NATS_URL must be nats://host:port, comma-separated for several (got "${server.trim()}")`);
  }
  if (natsUrl !== '' && databaseUrl === '') {
    throw new ConfigError('AMPHI_NATS_URL', 'AMPHI_NATS_URL makes this node a cluster member, and a cluster shares its rooms in PostgreSQL: set AMPHI_DATABASE_URL=postgres://… (SQLite is one node\'s file)');
  }
  const roleRaw = env['AMPHI_NODE_ROLE'] || 'all';
  const nodeRole = NODE_ROLES.find((r) => r === roleRaw);
  if (nodeRole === undefined) throw new ConfigError('AMPHI_NODE_ROLE', `AMPHI_NODE_ROLE must be one of ${NODE_ROLES.join(', ')} (got "${roleRaw}")`);
  if (nodeRole !== 'all' && natsUrl === '') throw new ConfigError('AMPHI_NODE_ROLE', `AMPHI_NODE_ROLE=${nodeRole} is for a cluster member: set AMPHI_NATS_URL too (a single node is both origin and edge)`);
  const nodeId = nodeIdOf(env, dataDir);
  const adminToken = adminTokenOf(env);
  return { port, host, dataDir, databaseUrl, publicUrl, secret, tickMs, logLevel, batchMs, busyBatchMs, busyListeners, peakBatchMs, peakListeners, opusBitrate, rtcIp, rtcPorts, turnUrls: turn.urls, turnSecret: turn.secret, turnTtlS: turn.ttlS, maxListeners, joinRate, listenerSockets, listenPort, listenUrl, publicUrlSet, maxWaiting, signUpsPerHour, maxLagMs, maxDeliveryDuty, mediaThread, natsUrl, nodeRole, nodeId, adminToken };
}

/** the fewest ports a range may hold: a stage of 13 members and a rejoining member each need one */
const MIN_RTC_PORTS = 16;

/** AMPHI_RTC_PORTS=lo-hi: the UDP ports stage peers may bind (werift scans the range for a free one) */
function rtcPortsOf(env: Env): readonly [number, number] | null {
  const raw = (env['AMPHI_RTC_PORTS'] ?? '').trim();
  if (raw === '') return null;
  const m = /^(\d{1,5})-(\d{1,5})$/.exec(raw);
  const lo = Number(m?.[1]);
  const hi = Number(m?.[2]);
  if (m === null || lo < 1024 || hi > 65535 || hi - lo + 1 < MIN_RTC_PORTS) {
    throw new ConfigError('AMPHI_RTC_PORTS', `AMPHI_RTC_PORTS must be a UDP port range lo-hi within 1024-65535 holding at least ${MIN_RTC_PORTS} ports (one per stage member), e.g. 40000-40199 (got "${raw}")`);
  }
  return [lo, hi];
}

/** turn:host[:port][?transport=udp|tcp] or turns:host[:port][?transport=tcp], as browsers take them */
const TURN_URL = /^(turn:[A-Za-z0-9.-]+(:\d{1,5})?(\?transport=(udp|tcp))?|turns:[A-Za-z0-9.-]+(:\d{1,5})?(\?transport=tcp)?)$/;

/** AMPHI_TURN_URLS + AMPHI_TURN_SECRET (+ AMPHI_TURN_TTL): both or neither, checked together */
/** AMPHI_ADMIN_TOKEN: empty means no admin calls; a short one is refused, since it is all that guards them */
function adminTokenOf(env: Env): string | null {
  const raw = env['AMPHI_ADMIN_TOKEN'] ?? '';
  if (raw === '') return null;
  if (raw.length < 32 || !/^[\x21-\x7e]+$/.test(raw)) throw new ConfigError('AMPHI_ADMIN_TOKEN', 'AMPHI_ADMIN_TOKEN must be at least 32 printable characters without spaces (or unset: no admin calls)');
  return raw;
}

function turnOf(env: Env): { urls: readonly string[]; secret: string | null; ttlS: number } {
  const raw = (env['AMPHI_TURN_URLS'] ?? '').trim();
  const urls = raw === '' ? [] : raw.split(',').map((u) => u.trim());
  for (const url of urls) {
    const port = /:(\d+)(\?|$)/.exec(url.replace(/^turns?:/, ''))?.[1];
    if (!TURN_URL.test(url) || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
      throw new ConfigError('AMPHI_TURN_URLS', `AMPHI_TURN_URLS must be comma-separated turn:/turns: URLs, e.g. turn:turn.example.org:3478?transport=udp,turns:turn.example.org:443?transport=tcp (got "${url}")`);
    }
  }
  const secret = env['AMPHI_TURN_SECRET'] ?? '';
  if (urls.length > 0 && secret.length < 16) {
    throw new ConfigError('AMPHI_TURN_SECRET', "AMPHI_TURN_SECRET must be your TURN server's shared secret (coturn's static-auth-secret), at least 16 characters, when AMPHI_TURN_URLS is set");
  }
  if (urls.length === 0 && secret !== '') throw new ConfigError('AMPHI_TURN_SECRET', 'AMPHI_TURN_SECRET is set but AMPHI_TURN_URLS is empty: name the TURN server(s) too, or unset the secret');
  // longer than any show: coturn checks the expiry again at every allocation refresh, so a relayed speaker would drop at expiry
  const ttlS = intIn(env, 'AMPHI_TURN_TTL', 43_200, 600, 604_800);
  return { urls, secret: urls.length > 0 ? secret : null, ttlS };
}

/** AMPHI_NODE_ID, or an id made on first start and kept in the data dir, so a restarted node is the same node */
function nodeIdOf(env: Env, dataDir: string): string {
  const given = env['AMPHI_NODE_ID'];
  if (given !== undefined && given !== '') {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(given)) throw new ConfigError('AMPHI_NODE_ID', `AMPHI_NODE_ID must be 1-64 letters, digits, _ or - (got "${given}")`);
    return given;
  }
  return keptInDataDir(dataDir, 'node-id', () => `node-${randomBytes(6).toString('hex')}`, (kept, file) => {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(kept)) throw new ConfigError('AMPHI_NODE_ID', `${file} does not hold a node id (1-64 letters, digits, _ or -): delete it or set AMPHI_NODE_ID`);
  });
}
