import { describe, expect, it } from 'vitest';
import { coreConfig, disableAllBut, httpTransportConfig, iceEnforceAddress, jcfgLiteral, setJcfg, streamingConfig } from './janus-config.ts';

const DEBIAN_LIKE = `general: {
\tconfigs_folder = "/etc/janus"\t\t\t# Configuration files folder
\tdebug_level = 4\t\t\t\t\t\t\t# Debug/logging level, valid values are 0-7
\tprotected_folders = [
\t\t"/bin",
\t\t"/usr"
\t]
}

nat: {
\t#ice_enforce_list = "eth0"
\tice_ignore_list = "vmnet"
}

plugins: {
\t#disable = "libjanus_voicemail.so,libjanus_recordplay.so"
}

transports: {
}
`;

describe('setJcfg', () => {
  it('replaces an uncommented setting in its section, keeping the indentation', () => {
    const out = setJcfg(DEBIAN_LIKE, 'general', 'debug_level', 3);
    expect(out).toContain('\tdebug_level = 3\n');
    expect(out).not.toContain('debug_level = 4');
  });

  it('leaves a commented-out example alone and adds the real setting after the section opens', () => {
    const out = setJcfg(DEBIAN_LIKE, 'nat', 'ice_enforce_list', '192.0.2.2');
    expect(out).toContain('nat: {\n\tice_enforce_list = "192.0.2.2"\n\t#ice_enforce_list = "eth0"');
  });

  it('looks past nested groups (arrays) so a setting after them is still inside its section', () => {
    const out = setJcfg(DEBIAN_LIKE, 'general', 'protected_folders', 'x');
    expect(out.match(/protected_folders/g)).toHaveLength(1);
    // A key only inside another section is added to the one asked for, not changed elsewhere.
    const added = setJcfg(DEBIAN_LIKE, 'transports', 'ice_ignore_list', 'none');
    expect(added).toContain('ice_ignore_list = "vmnet"');
    expect(added).toContain('transports: {\n\tice_ignore_list = "none"\n}');
  });

  it('fills a group that opens and closes on one line', () => {
    expect(setJcfg('loggers: {}\n', 'loggers', 'disable', 'a.so')).toBe('loggers: {\n\tdisable = "a.so"\n}\n');
  });

  it('appends a section the file does not have', () => {
    expect(setJcfg('general: {\n}', 'events', 'broadcast', false)).toBe('general: {\n}\nevents: {\n\tbroadcast = false\n}\n');
  });

  it('is not fooled by a # or braces inside a string', () => {
    const text = 'general: {\n\tname = "a # { b"\n\tport = 1\n}\n';
    expect(setJcfg(text, 'general', 'port', 2)).toBe('general: {\n\tname = "a # { b"\n\tport = 2\n}\n');
  });

  it('quotes strings and escapes quotes and backslashes', () => {
    expect(jcfgLiteral('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(jcfgLiteral(8088)).toBe('8088');
    expect(jcfgLiteral(true)).toBe('true');
  });
});

describe('coreConfig', () => {
  const out = coreConfig(DEBIAN_LIKE, {
    configsFolder: '/tmp/j',
    iceEnforce: '192.0.2.2',
    plugins: ['libjanus_streaming.so', 'libjanus_streaming.so.1', 'libjanus_echotest.so', 'libjanus_sip.so.1.1.2', 'libjanus_sip.so'],
    transports: ['libjanus_http.so', 'libjanus_websockets.so'],
    loggers: ['libjanus_jsonlog.so'],
  });

  it('loads only the Streaming plugin and the HTTP transport', () => {
    expect(out).toContain('plugins: {\n\tdisable = "libjanus_echotest.so,libjanus_sip.so"');
    expect(out).toContain('transports: {\n\tdisable = "libjanus_websockets.so"\n}');
    expect(out).toContain('loggers: {\n\tdisable = "libjanus_jsonlog.so"\n}');
  });

  it('points Janus at the copied folder and gathers ICE on one address', () => {
    expect(out).toContain('\tconfigs_folder = "/tmp/j"');
    expect(out).toContain('\tice_enforce_list = "192.0.2.2"');
    expect(out).toContain('events: {\n\tbroadcast = false\n}');
  });
});

describe('disableAllBut', () => {
  it('lists only the .so files Janus would load, minus the kept ones', () => {
    expect(disableAllBut(['b.so', 'a.so', 'a.so.1', 'keep.so'], ['keep.so'])).toBe('a.so,b.so');
  });
});

describe('iceEnforceAddress', () => {
  it('picks the first non-internal IPv4 address, never loopback or IPv6', () => {
    expect(
      iceEnforceAddress({
        lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
        eth0: [
          { address: 'fd00::2', family: 'IPv6', internal: false },
          { address: '192.0.2.2', family: 'IPv4', internal: false },
        ],
      }),
    ).toBe('192.0.2.2');
  });

  it('falls back to "lo" when the machine has only loopback', () => {
    expect(iceEnforceAddress({ lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }] })).toBe('lo');
  });
});

describe('httpTransportConfig', () => {
  it('binds plain HTTP to 127.0.0.1 on the given port and turns the admin API off', () => {
    const out = httpTransportConfig('general: {\n\thttp = true\n\tport = 8088\n\t#ip = "192.168.0.1"\n}\nadmin: {\n\tadmin_http = false\n}\n', 41000);
    expect(out).toContain('\tport = 41000');
    expect(out).toContain('\tip = "127.0.0.1"');
    expect(out).toContain('\thttps = false');
    expect(out).toContain('\tadmin_https = false');
  });
});

describe('streamingConfig', () => {
  it('defines one audio-only Opus RTP mountpoint on 127.0.0.1', () => {
    const out = streamingConfig({ id: 7, audioPort: 40000, payloadType: 111 });
    expect(out).toContain('\ttype = "rtp"');
    expect(out).toContain('\tid = 7');
    expect(out).toContain('\taudioport = 40000');
    expect(out).toContain('\taudiopt = 111');
    expect(out).toContain('\taudiocodec = "opus"');
    expect(out).toContain('\taudiortpmap = "opus/48000/2"');
    expect(out).toContain('\tvideo = false');
    expect(out.match(/type = /g)).toHaveLength(1);
  });
});
