/**
 * @module bench/icecast-config — what the icecast scenario runs, as data: the two variants (same write
 * rate as Amphi, and Icecast's and ffmpeg's defaults), the icecast2 XML config of a bench run and the
 * ffmpeg feeder's arguments. Pure: it writes no file and starts nothing (bench/icecast-server.ts does).
 */

export type IcecastVariantName = 'sameRate' | 'defaults';

export interface IcecastVariant {
  readonly name: IcecastVariantName;
  /** one line for the report */
  readonly summary: string;
  /** `<burst-size>` in bytes, or null for Icecast's default (burst-on-connect with 64 KiB) */
  readonly burstSize: number | null;
  /** ffmpeg's Ogg `-page_duration` in ms, or null for its default (1 s pages) */
  readonly pageMs: number | null;
}

/** Amphi's default program: 32 kbit/s Opus, mono, 20 ms frames */
export const PROGRAM_BITRATE_KBPS = 32;
/** ffmpeg's Ogg muxer flushes a page after about this long when -page_duration is not given */
export const FFMPEG_DEFAULT_PAGE_MS = 1000;
export const MOUNT = '/amphi.ogg';

/** the two variants; `batchMs` is Amphi's batch length, which same-rate pages match */
export function icecastVariants(batchMs: number): Readonly<Record<IcecastVariantName, IcecastVariant>> {
  return {
    sameRate: {
      name: 'sameRate',
      summary: `no burst on connect (burst-size 0) and ${batchMs} ms Ogg pages: the same bitrate and write rate as Amphi's ${batchMs} ms batches`,
      burstSize: 0,
      pageMs: batchMs,
    },
    defaults: {
      name: 'defaults',
      summary: "Icecast's default burst on connect (64 KiB of old audio to each new listener) and ffmpeg's default Ogg page duration (1 s)",
      burstSize: null,
      pageMs: null,
    },
  };
}

export interface IcecastConfigInput {
  readonly variant: IcecastVariant;
  readonly port: number;
  readonly password: string;
  /** most listeners the run will open (plus the reference and the readiness probe) */
  readonly clients: number;
  /** where icecast2 writes its logs (must be writable by `owner`) */
  readonly dir: string;
  /** user and group icecast2 switches to when started as root (it refuses to run as root) */
  readonly owner: { readonly user: string; readonly group: string } | null;
  /** Debian's icecast2 web and admin roots */
  readonly shareDir: string;
}

const xml = (v: string | number): string => String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** the icecast2 config of one bench run: loopback only, logs in the run's directory */
export function icecastXml(c: IcecastConfigInput): string {
  const burst = c.variant.burstSize === null ? '' : `\n    <burst-size>${c.variant.burstSize}</burst-size>`;
  const owner = c.owner === null ? '' : `\n    <changeowner><user>${xml(c.owner.user)}</user><group>${xml(c.owner.group)}</group></changeowner>`;
  return `<icecast>
  <location>amphi bench</location>
  <admin>bench@localhost</admin>
  <limits>
    <clients>${c.clients}</clients>
    <sources>2</sources>
    <burst-on-connect>1</burst-on-connect>${burst}
  </limits>
  <authentication>
    <source-password>${xml(c.password)}</source-password>
    <relay-password>${xml(c.password)}</relay-password>
    <admin-user>admin</admin-user>
    <admin-password>${xml(c.password)}</admin-password>
  </authentication>
  <hostname>127.0.0.1</hostname>
  <listen-socket>
    <port>${c.port}</port>
    <bind-address>127.0.0.1</bind-address>
  </listen-socket>
  <fileserve>1</fileserve>
  <paths>
    <basedir>${xml(c.dir)}</basedir>
    <logdir>${xml(c.dir)}</logdir>
    <webroot>${xml(c.shareDir)}/web</webroot>
    <adminroot>${xml(c.shareDir)}/admin</adminroot>
  </paths>
  <logging>
    <accesslog>access.log</accesslog>
    <errorlog>error.log</errorlog>
    <loglevel>2</loglevel>
  </logging>
  <security>
    <chroot>0</chroot>${owner}
  </security>
</icecast>
`;
}

/**
 * ffmpeg's arguments: a 440 Hz tone encoded in real time (-re) as Amphi's program is, sent as an
 * Icecast source. The tone comes in 960-sample (20 ms) frames, one per Opus packet, so a page is
 * complete when its last frame is read and the feeder adds no jitter of its own to the delays.
 */
export function feederArgs(variant: IcecastVariant, port: number, password: string): string[] {
  return [
    '-hide_banner',
    '-loglevel',
    'warning',
    '-nostdin',
    '-re',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000:samples_per_frame=960',
    '-c:a',
    'libopus',
    '-b:a',
    `${PROGRAM_BITRATE_KBPS}k`,
    '-ac',
    '1',
    ...(variant.pageMs === null ? [] : ['-page_duration', String(variant.pageMs * 1000)]),
    '-f',
    'ogg',
    '-content_type',
    'application/ogg',
    `icecast://source:${password}@127.0.0.1:${port}${MOUNT}`,
  ];
}
