/**
 * @module bench/janus-config — the text of the Janus configuration the `janus` scenario runs: Debian's
 * own files with the few settings the bench needs changed in place (libconfig `section: { key = value }`
 * syntax), and a Streaming plugin file holding one RTP mountpoint for the Opus program. Pure string
 * work, no file system: bench/janus-server.ts reads /etc/janus, calls these and writes the results. It
 * must never change a setting the bench does not need, so Janus runs as Debian ships it otherwise.
 */

/** the program, the same as Amphi's: 32 kbit/s Opus in 20 ms frames (50 RTP packets a second) */
export const PROGRAM_KBPS = 32;
export const FRAME_MS = 20;
export const OPUS_PT = 111;
export const MOUNTPOINT_ID = 1;

export type JcfgValue = string | number | boolean;

/** a setting as libconfig writes it: strings quoted (with `"` and `\` escaped), the rest bare */
export function jcfgLiteral(v: JcfgValue): string {
  return typeof v === 'string' ? `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : String(v);
}

/** the line without its `#` comment (a `#` inside a string does not start one) */
function codeOf(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && inString) i++;
    else if (c === '"') inString = !inString;
    else if (c === '#' && !inString) return line.slice(0, i);
  }
  return line;
}

/** how much a line opens (+) or closes (-) groups: `{}`, `[]` and `()` outside strings and comments */
function depthChange(code: string): number {
  let d = 0;
  let inString = false;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '\\' && inString) i++;
    else if (c === '"') inString = !inString;
    else if (!inString && (c === '{' || c === '[' || c === '(')) d++;
    else if (!inString && (c === '}' || c === ']' || c === ')')) d--;
  }
  return d;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Sets `key = value` in the top-level group `section`: replaces the uncommented setting if there is
 * one (keeping its indentation, dropping its trailing comment), else adds it on the line after the
 * group opens; adds the group at the end when the file has none. Commented-out examples (`#key = …`)
 * are left alone, so the file still reads as Debian's.
 */
export function setJcfg(text: string, section: string, key: string, value: JcfgValue): string {
  const lines = text.split('\n');
  const opens = new RegExp(`^\\s*${escapeRe(section)}\\s*[:=]\\s*\\{`);
  const setting = new RegExp(`^(\\s*)${escapeRe(key)}\\s*[:=]`);
  let depth = 0;
  let start = -1;
  for (let i = 0; i < lines.length; i++) {
    const code = codeOf(lines[i] ?? '');
    if (start < 0 && depth === 0 && opens.test(code)) start = i;
    else if (start >= 0 && depth === 1) {
      const m = setting.exec(code);
      if (m) {
        lines[i] = `${m[1] ?? '\t'}${key} = ${jcfgLiteral(value)}`;
        return lines.join('\n');
      }
    }
    depth += depthChange(code);
    if (start >= 0 && depth === 0) {
      // The group closed without the setting: add it right after the opening brace.
      const entry = `\t${key} = ${jcfgLiteral(value)}`;
      if (i === start) lines[i] = (lines[i] ?? '').replace('{', `{\n${entry}\n`).replace(/\n\s*}/, '\n}');
      else lines.splice(start + 1, 0, entry);
      return lines.join('\n');
    }
  }
  const tail = text.endsWith('\n') || text === '' ? '' : '\n';
  return `${text}${tail}${section}: {\n\t${key} = ${jcfgLiteral(value)}\n}\n`;
}

/** applies several settings, section by section, in order */
export function setJcfgAll(text: string, settings: Readonly<Record<string, Readonly<Record<string, JcfgValue>>>>): string {
  let out = text;
  for (const [section, pairs] of Object.entries(settings)) {
    for (const [key, value] of Object.entries(pairs)) out = setJcfg(out, section, key, value);
  }
  return out;
}

/** the shared objects of a Janus module folder that Janus would load (it loads `*.so`, not `.so.1`) */
export function loadableModules(fileNames: readonly string[]): string[] {
  return fileNames.filter((f) => f.endsWith('.so')).sort();
}

/** every loadable module except those kept, as the comma list a `disable` setting takes */
export function disableAllBut(fileNames: readonly string[], keep: readonly string[]): string {
  return loadableModules(fileNames)
    .filter((f) => !keep.includes(f))
    .join(',');
}

/** an address as os.networkInterfaces() lists it */
export interface InterfaceAddress {
  readonly address: string;
  readonly family: string;
  readonly internal: boolean;
}

/**
 * What `ice_enforce_list` gets: the machine's first non-loopback IPv4 address. Not "lo": Janus skips
 * loopback interfaces while listing addresses (ice.c, janus_ice_setup_local), so with "lo" it hands
 * libnice no address and libnice then gathers every interface's, IPv6 included. A packet to the
 * machine's own address still goes through the kernel's loopback path and never leaves the machine.
 * Falls back to "lo" on a machine with no other IPv4 address.
 */
export function iceEnforceAddress(interfaces: Readonly<Record<string, readonly InterfaceAddress[] | undefined>>): string {
  const names = Object.keys(interfaces).sort();
  for (const name of names) {
    const found = (interfaces[name] ?? []).find((a) => !a.internal && a.family === 'IPv4');
    if (found !== undefined) return found.address;
  }
  return 'lo';
}

export interface CoreConfigOptions {
  /** the folder the copied configuration lives in */
  readonly configsFolder: string;
  /** the interface or address ICE candidates are gathered on (iceEnforceAddress) */
  readonly iceEnforce: string;
  /** file names in the plugins, transports and loggers folders */
  readonly plugins: readonly string[];
  readonly transports: readonly string[];
  readonly loggers: readonly string[];
}

/** Debian's janus.jcfg with ICE on one local address and nothing loaded but HTTP and Streaming */
export function coreConfig(original: string, o: CoreConfigOptions): string {
  const settings: Record<string, Record<string, JcfgValue>> = {
    general: {
      configs_folder: o.configsFolder,
      // Warnings only: the log goes to a pipe the bench drains, and per-handle info lines at hundreds
      // of joins would be work the relay does not do in production with a log file.
      debug_level: 3,
      debug_colors: false,
    },
    // One candidate address: the listeners are on this machine, and every extra address (IPv6, other
    // interfaces) would only add candidate pairs for ICE to check.
    nat: { ice_enforce_list: o.iceEnforce },
    // Only the Streaming plugin and the HTTP transport: others would start threads and bind ports
    // (the websockets transport listens on 8188 and would clash with anything else on the machine).
    plugins: { disable: disableAllBut(o.plugins, ['libjanus_streaming.so']) },
    transports: { disable: disableAllBut(o.transports, ['libjanus_http.so']) },
    loggers: { disable: disableAllBut(o.loggers, []) },
    events: { broadcast: false },
  };
  // An empty `disable = ""` is harmless, but leave Debian's line alone when nothing is to be disabled.
  for (const s of ['plugins', 'transports', 'loggers'] as const) {
    if (settings[s]?.['disable'] === '') delete settings[s];
  }
  return setJcfgAll(original, settings);
}

/** Debian's janus.transport.http.jcfg bound to 127.0.0.1:port, plain HTTP only, admin API off */
export function httpTransportConfig(original: string, port: number): string {
  return setJcfgAll(original, {
    general: { http: true, port, ip: '127.0.0.1', https: false, json: 'compact' },
    admin: { admin_http: false, admin_https: false },
  });
}

export interface MountpointOptions {
  readonly id: number;
  /** the UDP port ffmpeg sends the program's RTP to */
  readonly audioPort: number;
  readonly payloadType: number;
}

/**
 * The whole Streaming plugin file: Debian's samples are left out because each would bind its own
 * ports and run its own thread; ours is one audio-only RTP mountpoint listening on 127.0.0.1.
 */
export function streamingConfig(m: MountpointOptions): string {
  return [
    'general: {',
    '}',
    '',
    'amphi-program: {',
    '\ttype = "rtp"',
    `\tid = ${m.id}`,
    '\tdescription = "Amphi bench: the same 32 kbit/s Opus program Amphi serves"',
    '\taudio = true',
    '\tvideo = false',
    `\taudioport = ${m.audioPort}`,
    '\taudioiface = "127.0.0.1"',
    `\taudiopt = ${m.payloadType}`,
    '\taudiocodec = "opus"',
    `\taudiortpmap = "opus/48000/2"`,
    '}',
    '',
  ].join('\n');
}
