import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'amphi-config-'));

describe('loadConfig', () => {
  it('uses the documented defaults: 127.0.0.1:8080, SQLite, public URL from host and port', () => {
    const d = dir();
    const c = loadConfig({ AMPHI_DATA_DIR: d });
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', databaseUrl: '', publicUrl: 'http://127.0.0.1:8080', tickMs: 500, logLevel: 'info' });
    expect(c).toMatchObject({ listenerSockets: 'uws', listenPort: 8081, listenUrl: null, batchMs: 60, busyBatchMs: 120, busyListeners: 5000, peakBatchMs: 160, peakListeners: 10_000 });
  });

  it('refuses setups whose listener addresses cannot work: https without AMPHI_LISTEN_URL, a port past 65535, a listen URL with ws', () => {
    const names = (env: Record<string, string>): string | null => {
      try {
        loadConfig({ AMPHI_DATA_DIR: dir(), ...env });
        return null;
      } catch (err) {
        return (err as ConfigError).variable;
      }
    };
    expect(names({ AMPHI_PUBLIC_URL: 'https://rooms.example.org' })).toBe('AMPHI_LISTEN_URL');
    expect(names({ AMPHI_PUBLIC_URL: 'https://rooms.example.org', AMPHI_LISTEN_URL: 'wss://rooms.example.org' })).toBeNull();
    expect(names({ AMPHI_PUBLIC_URL: 'https://rooms.example.org', AMPHI_LISTENER_SOCKETS: 'ws' })).toBeNull();
    expect(names({ AMPHI_PORT: '65535' })).toBe('AMPHI_LISTEN_PORT');
    expect(names({ AMPHI_LISTENER_SOCKETS: 'ws', AMPHI_LISTEN_URL: 'wss://rooms.example.org' })).toBe('AMPHI_LISTEN_URL');
  });

  it('puts the listener port next to the main one, a system-picked one when the main one is, and takes a wss URL for a proxy', () => {
    expect(loadConfig({ AMPHI_DATA_DIR: dir(), AMPHI_PORT: '9000' }).listenPort).toBe(9001);
    expect(loadConfig({ AMPHI_DATA_DIR: dir(), AMPHI_PORT: '0' }).listenPort).toBe(0);
    expect(loadConfig({ AMPHI_DATA_DIR: dir(), AMPHI_LISTEN_URL: 'wss://amphi.example.org/' }).listenUrl).toBe('wss://amphi.example.org');
    expect(loadConfig({ AMPHI_DATA_DIR: dir(), AMPHI_LISTENER_SOCKETS: 'ws' }).listenerSockets).toBe('ws');
  });

  it('generates a secret on first start, stores it in the data dir, and reuses it after', () => {
    const d = dir();
    const first = loadConfig({ AMPHI_DATA_DIR: d }).secret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(join(d, 'secret'), 'utf8').trim()).toBe(first);
    expect(loadConfig({ AMPHI_DATA_DIR: d }).secret).toBe(first);
  });

  it.each([
    ['AMPHI_PORT', 'abc'],
    ['AMPHI_PORT', '70000'],
    ['AMPHI_PORT', '-1'],
    ['AMPHI_HOST', 'bad host!'],
    ['AMPHI_DATABASE_URL', 'mysql://x'],
    ['AMPHI_PUBLIC_URL', 'ftp://example.org'],
    ['AMPHI_PUBLIC_URL', 'not a url'],
    ['AMPHI_SECRET', 'short'],
    ['AMPHI_TICK_MS', '5'],
    ['AMPHI_LOG_LEVEL', 'loud'],
    ['AMPHI_BATCH_MS', '50'],
    ['AMPHI_OPUS_BITRATE', '8000'],
    ['AMPHI_RTC_IP', 'example.org'],
    ['AMPHI_MAX_LISTENERS', '0'],
    ['AMPHI_JOIN_RATE', 'fast'],
    ['AMPHI_MAX_WAITING', '-5'],
    ['AMPHI_LISTENER_SOCKETS', 'socketio'],
    ['AMPHI_BUSY_BATCH_MS', '130'],
    ['AMPHI_BUSY_BATCH_MS', '40'],
    ['AMPHI_BUSY_LISTENERS', '0'],
    ['AMPHI_PEAK_BATCH_MS', '100'],
    ['AMPHI_PEAK_BATCH_MS', '170'],
    ['AMPHI_PEAK_LISTENERS', '4000'],
    ['AMPHI_LISTEN_PORT', '8080'],
    ['AMPHI_LISTEN_PORT', 'x'],
    ['AMPHI_LISTEN_URL', 'https://amphi.example.org'],
    ['AMPHI_LISTEN_URL', 'wss://amphi.example.org/audio'],
    ['AMPHI_RTC_PORTS', '40000'],
    ['AMPHI_RTC_PORTS', '40100-40000'],
    ['AMPHI_RTC_PORTS', '40000-40005'],
    ['AMPHI_RTC_PORTS', '80-200'],
    ['AMPHI_RTC_PORTS', '65530-70000'],
    ['AMPHI_TURN_URLS', 'stun:stun.example.org'],
    ['AMPHI_TURN_URLS', 'turns:turn.example.org:443?transport=udp'],
    ['AMPHI_TURN_URLS', 'turn:turn.example.org:99999'],
    ['AMPHI_TURN_URLS', 'https://turn.example.org'],
    ['AMPHI_TURN_SECRET', 'a-secret-without-urls'],
  ])('refuses %s=%s with an error naming the variable', (name, value) => {
    const run = () => loadConfig({ AMPHI_DATA_DIR: dir(), [name]: value });
    expect(run).toThrow(ConfigError);
    try {
      run();
    } catch (err) {
      expect((err as ConfigError).variable).toBe(name);
      expect((err as ConfigError).message).toContain(name);
    }
  });

  it('takes a fixed UDP port range for the stage, and TURN servers with their shared secret, both or neither', () => {
    const c = loadConfig({
      AMPHI_DATA_DIR: dir(),
      AMPHI_RTC_PORTS: '40000-40199',
      AMPHI_TURN_URLS: 'turn:turn.example.org:3478?transport=udp, turn:turn.example.org:3478?transport=tcp,turns:turn.example.org:443?transport=tcp',
      AMPHI_TURN_SECRET: 'a shared secret of some length',
    });
    expect(c.rtcPorts).toEqual([40000, 40199]);
    expect(c.turnUrls).toEqual(['turn:turn.example.org:3478?transport=udp', 'turn:turn.example.org:3478?transport=tcp', 'turns:turn.example.org:443?transport=tcp']);
    expect(c.turnSecret).toBe('a shared secret of some length');
    expect(c.turnTtlS).toBe(43_200);
    const none = loadConfig({ AMPHI_DATA_DIR: dir() });
    expect([none.rtcPorts, none.turnUrls, none.turnSecret]).toEqual([null, [], null]);
    expect(() => loadConfig({ AMPHI_DATA_DIR: dir(), AMPHI_TURN_URLS: 'turn:10.0.0.5:3478' })).toThrow(/AMPHI_TURN_SECRET must be/);
  });

  it('accepts a PostgreSQL URL and an https public URL', () => {
    const c = loadConfig({ AMPHI_DATA_DIR: dir(), AMPHI_DATABASE_URL: 'postgres://u@127.0.0.1:5432/amphi', AMPHI_PUBLIC_URL: 'https://amphi.example.org/', AMPHI_LISTEN_URL: 'wss://amphi.example.org' });
    expect(c.databaseUrl).toBe('postgres://u@127.0.0.1:5432/amphi');
    expect(c.publicUrl).toBe('https://amphi.example.org');
  });

  it('a bad value stops `npm start` with exit code 2 and one clear line', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, AMPHI_PORT: 'eighty', AMPHI_DATA_DIR: dir() },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('amphi: AMPHI_PORT must be a whole number from 0 to 65535 (got "eighty")');
  });
});
