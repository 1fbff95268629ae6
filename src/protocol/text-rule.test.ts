import { describe, expect, it } from 'vitest';
import { findTextFault, textFault } from './text-rule.ts';

describe('the text rule', () => {
  it('accepts any well-formed text, emoji and control characters other than NUL included', () => {
    for (const s of ['', 'plain', 'Ω≈ç√∫', '👩‍👩‍👧‍👦', '\u0001\u007f\u2028\ufeff', '\ud83d\ude00', '\ufffd']) expect(textFault(s), JSON.stringify(s)).toBeNull();
  });

  it('refuses a NUL and an unpaired surrogate anywhere in the text', () => {
    expect(textFault('a\u0000b')).toMatch(/NUL/);
    for (const s of ['\ud800', 'a\ud83dz', '\udfff', 'x\ude00', '\ude00\ud83d']) expect(textFault(s), JSON.stringify(s)).toMatch(/surrogate/);
  });

  it('names the first bad string of a JSON value by its path, keys included', () => {
    expect(findTextFault({ type: 'remove', target: 'u1', reason: 'a\u0000' })).toMatchObject({ field: 'reason' });
    expect(findTextFault({ action: { topics: ['ok', 'b\ud800'] } })).toMatchObject({ field: 'action.topics.1' });
    expect(findTextFault({ ['k\u0000']: 1 })).toMatchObject({ field: 'k\ufffd' });
    expect(findTextFault('\u0000')).toMatchObject({ field: '' });
    expect(findTextFault({ a: [1, true, null, { b: 'fine' }] })).toBeNull();
  });

  it('walks a value nested far deeper than the call stack would allow', () => {
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findTextFault(deep)?.fault).toMatch(/NUL/);
  });
});
