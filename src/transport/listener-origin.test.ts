import { describe, expect, it } from 'vitest';
import { listenerOriginFor } from './listener-origin.ts';

describe('listenerOriginFor', () => {
  const uws = { sockets: 'uws' as const, listenPort: 8081, listenUrl: null, publicUrl: 'http://127.0.0.1:8080' };

  it('sends browsers to the listener port on the host they reached the page by', () => {
    const at = listenerOriginFor(uws);
    expect(at('127.0.0.1:8080')).toBe('ws://127.0.0.1:8081');
    expect(at('amphi.lan:8080')).toBe('ws://amphi.lan:8081');
    expect(at('[::1]:8080')).toBe('ws://[::1]:8081');
  });

  it('falls back to the public URL for a missing or odd Host, and uses wss behind https', () => {
    expect(listenerOriginFor(uws)(undefined)).toBe('ws://127.0.0.1:8081');
    expect(listenerOriginFor(uws)('evil/path@x')).toBe('ws://127.0.0.1:8081');
    expect(listenerOriginFor({ ...uws, publicUrl: 'https://amphi.example.org' })('amphi.example.org')).toBe('wss://amphi.example.org:8081');
  });

  it('uses AMPHI_LISTEN_URL as given, and the page origin itself with ws', () => {
    expect(listenerOriginFor({ ...uws, listenUrl: 'wss://amphi.example.org' })('x:1')).toBe('wss://amphi.example.org');
    expect(listenerOriginFor({ ...uws, sockets: 'ws' })('amphi.lan:8080')).toBe('ws://amphi.lan:8080');
  });
});
