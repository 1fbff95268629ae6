import { describe, expect, it } from 'vitest';
import { directOriginFor, listenerOriginFor, pageAllowedFor, ticketOriginFor } from './listener-origin.ts';
import { withListenOrigin } from './web-app.ts';

describe('listenerOriginFor', () => {
  const uws = { sockets: 'uws' as const, listenPort: 8081, listenUrl: null, publicUrl: 'http://127.0.0.1:8080', publicUrlSet: false };

  it('without AMPHI_PUBLIC_URL, sends browsers to the listener port on the host they reached the page by', () => {
    const at = listenerOriginFor(uws);
    expect(at('127.0.0.1:8080')).toBe('ws://127.0.0.1:8081');
    expect(at('amphi.lan:8080')).toBe('ws://amphi.lan:8081');
    expect(at('[::1]:8080')).toBe('ws://[::1]:8081');
  });

  it('falls back to the public URL for a missing or odd Host', () => {
    expect(listenerOriginFor(uws)(undefined)).toBe('ws://127.0.0.1:8081');
    expect(listenerOriginFor(uws)('evil/path@x')).toBe('ws://127.0.0.1:8081');
  });

  it('with AMPHI_PUBLIC_URL set, never trusts Host (a proxy may send its upstream)', () => {
    const pub = { ...uws, publicUrl: 'http://rooms.example.org', publicUrlSet: true };
    expect(listenerOriginFor(pub)('127.0.0.1:8080')).toBe('ws://rooms.example.org:8081');
    expect(listenerOriginFor({ ...pub, sockets: 'ws' })('127.0.0.1:8080')).toBe('ws://rooms.example.org');
    expect(listenerOriginFor({ ...pub, sockets: 'ws', publicUrl: 'https://rooms.example.org' })('127.0.0.1:8080')).toBe('wss://rooms.example.org');
  });

  it('uses AMPHI_LISTEN_URL as given, and the page origin itself with ws', () => {
    expect(listenerOriginFor({ ...uws, listenUrl: 'wss://amphi.example.org' })('x:1')).toBe('wss://amphi.example.org');
    expect(listenerOriginFor({ ...uws, sockets: 'ws' })('amphi.lan:8080')).toBe('ws://amphi.lan:8080');
  });
});

describe('ticketOriginFor', () => {
  const uws = { sockets: 'uws' as const, listenPort: 8081, listenUrl: null, publicUrl: 'http://127.0.0.1:8080', publicUrlSet: false };

  it('names the listener port over http, and nothing with ws or behind AMPHI_LISTEN_URL', () => {
    expect(ticketOriginFor(uws)('amphi.lan:8080')).toBe('http://amphi.lan:8081');
    expect(ticketOriginFor({ ...uws, sockets: 'ws' })('amphi.lan:8080')).toBeNull();
    expect(ticketOriginFor({ ...uws, listenUrl: 'wss://amphi.example.org' })('amphi.lan:8080')).toBeNull();
  });
});

describe('directOriginFor (what index.html says about direct joins)', () => {
  const uws = { sockets: 'uws' as const, listenPort: 8081, listenUrl: null, publicUrl: 'http://127.0.0.1:8080', publicUrlSet: false };

  it('says only the port while the host name follows the page, the whole origin once it is fixed, nothing with ws', () => {
    expect(directOriginFor(uws)).toBe(':8081');
    expect(directOriginFor({ ...uws, publicUrl: 'https://rooms.example.org', publicUrlSet: true, listenUrl: 'wss://listen.example.org' })).toBe('wss://listen.example.org');
    expect(directOriginFor({ ...uws, publicUrl: 'http://rooms.example.org', publicUrlSet: true })).toBe('ws://rooms.example.org:8081');
    expect(directOriginFor({ ...uws, sockets: 'ws' })).toBeNull();
  });

  it('goes into the head of index.html escaped, and leaves the page alone without one', () => {
    const html = Buffer.from('<html><head><title>A</title></head><body></body></html>');
    expect(withListenOrigin(html, ':8081').toString()).toBe('<html><head><title>A</title><meta name="amphi-listen-origin" content=":8081" /></head><body></body></html>');
    expect(withListenOrigin(html, 'ws://a"b<c').toString()).toContain('content="ws://a&quot;b&lt;c"');
    expect(withListenOrigin(html, null)).toBe(html);
    expect(withListenOrigin(Buffer.from('<p>no head</p>'), ':1').toString()).toBe('<p>no head</p>');
  });
});

describe('pageAllowedFor', () => {
  const uws = { sockets: 'uws' as const, listenPort: 8081, listenUrl: null, publicUrl: 'http://127.0.0.1:8080', publicUrlSet: false };

  it("lets Amphi's own pages read tickets from the listener port and nobody else's", () => {
    const ok = pageAllowedFor(uws);
    expect(ok('http://127.0.0.1:8080', '127.0.0.1:8081')).toBe(true);
    expect(ok('http://amphi.lan:8080', 'amphi.lan:8081')).toBe(true);
    expect(ok('https://evil.example', 'amphi.lan:8081')).toBe(false);
    expect(ok('null', 'amphi.lan:8081')).toBe(false);
    const pub = pageAllowedFor({ ...uws, publicUrl: 'http://rooms.example.org', publicUrlSet: true });
    expect(pub('http://rooms.example.org', 'rooms.example.org:8081')).toBe(true);
    expect(pub('http://rooms.example.org:9999', 'rooms.example.org:8081')).toBe(false);
  });
});
