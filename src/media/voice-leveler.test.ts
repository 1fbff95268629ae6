import { describe, expect, it } from 'vitest';
import { DEFAULT_VOICE_LEVELER, VoiceLeveler } from './voice-leveler.ts';

const ms = (db: number): number => 10 ** (db / 10);
/** speech-like blocks at `db`: 150 ms words, 100 ms gaps 30 dB down (the gaps are marked not speech) */
function talk(l: VoiceLeveler, db: number, seconds: number): void {
  for (let i = 0; i < seconds * 100; i++) {
    const word = i % 25 < 15;
    l.push(ms(word ? db : db - 30), word);
  }
}

describe('VoiceLeveler', () => {
  it('brings a quiet and a loud speaker to within 1 dB of each other after 3 s of speech', () => {
    const quiet = new VoiceLeveler();
    const loud = new VoiceLeveler();
    talk(quiet, -44, 3);
    talk(loud, -24 + 0, 3);
    expect(Math.abs(-44 + quiet.gainDb - (-24 + loud.gainDb))).toBeLessThan(1);
    expect(quiet.gainDb).toBeGreaterThan(15);
  });

  it('is most of the way there after one second of speech', () => {
    const l = new VoiceLeveler();
    talk(l, -40, 1);
    expect(l.gainDb).toBeGreaterThan(0.7 * (DEFAULT_VOICE_LEVELER.targetDb + 40));
  });

  it('never moves on blocks that are not speech: noise and silence are never raised', () => {
    const l = new VoiceLeveler();
    for (let i = 0; i < 2000; i++) l.push(ms(-50), false);
    expect(l.gainDb).toBe(0);
    talk(l, -30, 3);
    const g = l.gainDb;
    for (let i = 0; i < 2000; i++) l.push(ms(-70), false);
    expect(l.gainDb).toBe(g);
  });

  it('stays within its bounds for a whisper and a shout', () => {
    const whisper = new VoiceLeveler();
    talk(whisper, -80, 10);
    expect(whisper.gainDb).toBeLessThanOrEqual(DEFAULT_VOICE_LEVELER.maxBoostDb + 1e-9);
    const shout = new VoiceLeveler();
    talk(shout, 0, 10);
    expect(shout.gainDb).toBeGreaterThanOrEqual(-DEFAULT_VOICE_LEVELER.maxCutDb - 1e-9);
  });

  it('keeps a speaker\'s own dynamics: a 6 dB louder sentence of 1 s moves the gain by well under 6 dB', () => {
    const l = new VoiceLeveler();
    talk(l, -30, 6);
    const before = l.gainDb;
    talk(l, -24, 1);
    expect(before - l.gainDb).toBeGreaterThan(0);
    expect(before - l.gainDb).toBeLessThan(3);
  });

  it('does not count the quiet gaps inside speech as speech (relative gate)', () => {
    const a = new VoiceLeveler();
    const b = new VoiceLeveler();
    talk(a, -30, 4);
    // the same words, but every gap marked as speech too: 30 dB down, they are gated out
    for (let i = 0; i < 400; i++) b.push(ms(i % 25 < 15 ? -30 : -60), true);
    expect(Math.abs(a.gainDb - b.gainDb)).toBeLessThan(0.5);
  });
});
