import { describe, it, expect } from 'vitest';
import { buildListenerUrl, directListenerUrl, parseListenerQuery } from './listener-query.ts';

const parse = (url: string) => parseListenerQuery(new URL(url).searchParams);

describe('listener query', () => {
  it('builds a URL whose query parses back to the same token and resume seq', () => {
    const url = buildListenerUrl('wss://a.example/ws/listen?x=1', { token: 'v1.ab-c_.sig', resumeFromSeq: 4294967295 });
    expect(url).toContain('x=1');
    expect(parse(url)).toEqual({ ok: true, query: { kind: 'token', token: 'v1.ab-c_.sig', resumeFromSeq: 4294967295 } });
  });

  it('replaces an earlier resume and drops it when resuming from nothing', () => {
    const first = buildListenerUrl('ws://h/ws/listen', { token: 't', resumeFromSeq: 5 });
    const second = buildListenerUrl(first, { token: 't', resumeFromSeq: null });
    expect(parse(second)).toEqual({ ok: true, query: { kind: 'token', token: 't', resumeFromSeq: null } });
  });

  it('rejects a missing token as bad_token and a malformed resume as bad_resume', () => {
    expect(parse('ws://h/ws/listen?resume=1')).toMatchObject({ ok: false, code: 'bad_token' });
    for (const r of ['-1', '1.5', '01', 'abc', '4294967296', '']) {
      expect(parse(`ws://h/ws/listen?token=t&resume=${r}`)).toMatchObject({ ok: false, code: 'bad_resume' });
    }
  });

  it('reads a direct join by room, with or without resume, and keeps the room in the URL when resuming', () => {
    expect(parse('ws://h/ws/listen?room=abc')).toEqual({ ok: true, query: { kind: 'room', roomId: 'abc', resumeFromSeq: null } });
    const url = buildListenerUrl(directListenerUrl('wss://h:8081', 'r/1 é'), { token: null, resumeFromSeq: 9 });
    expect(parse(url)).toEqual({ ok: true, query: { kind: 'room', roomId: 'r/1 é', resumeFromSeq: 9 } });
  });

  it('refuses both a token and a room, neither, an empty room and a room id over 64 characters', () => {
    for (const q of ['token=t&room=r', '', 'room=', `room=${'x'.repeat(65)}`]) {
      expect(parse(`ws://h/ws/listen?${q}`)).toMatchObject({ ok: false, code: 'bad_token' });
    }
    expect(parse(`ws://h/ws/listen?room=${'x'.repeat(64)}`)).toMatchObject({ ok: true });
  });

  // (URLSearchParams already turns a lone surrogate into U+FFFD, so NUL is the one that can arrive)
  it('refuses a room id with a NUL character as bad_token', () => {
    expect(parseListenerQuery(new URLSearchParams({ room: 'a\u0000b' }))).toMatchObject({ ok: false, code: 'bad_token' });
    expect(parse('ws://h/ws/listen?room=a%00b')).toMatchObject({ ok: false, code: 'bad_token' });
  });
});
