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
