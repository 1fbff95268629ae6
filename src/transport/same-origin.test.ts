import { describe, expect, it } from 'vitest';
import { sameOriginCheck } from './same-origin.ts';

describe('the same-origin check', () => {
  it('without AMPHI_PUBLIC_URL takes the http origin of the Host asked, and not its https twin', () => {
    const ok = sameOriginCheck({ publicUrl: 'http://127.0.0.1:8080', publicUrlSet: false });
    expect(ok('http://127.0.0.1:8080', '127.0.0.1:8080')).toBe(true);
    expect(ok('http://amphi.lan:8080', 'Amphi.LAN:8080')).toBe(true);
    expect(ok('https://127.0.0.1:8080', '127.0.0.1:8080')).toBe(false);
    expect(ok('http://127.0.0.1:9999', '127.0.0.1:8080')).toBe(false);
    expect(ok('null', '127.0.0.1:8080')).toBe(false);
    expect(ok(undefined, '127.0.0.1:8080')).toBe(true);
  });

  it('with AMPHI_PUBLIC_URL takes that origin only, whatever Host the request names', () => {
    const ok = sameOriginCheck({ publicUrl: 'https://rooms.example.org', publicUrlSet: true });
    expect(ok('https://rooms.example.org', 'rooms.example.org')).toBe(true);
    expect(ok('https://rooms.example.org', '127.0.0.1:8080')).toBe(true);
    expect(ok('http://rooms.example.org', 'rooms.example.org')).toBe(false);
    expect(ok('http://evil.example', 'evil.example')).toBe(false);
    expect(ok('https://evil.example', 'evil.example')).toBe(false);
  });
});
