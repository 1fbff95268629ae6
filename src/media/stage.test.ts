import { afterEach, describe, it, expect } from 'vitest';
import { Mixer } from './mixer.ts';
import { OpusFrameDecoder } from './opus-codec.ts';
import { Stage, type SlotAssignment } from './stage.ts';
import { MediaError } from './errors.ts';
import { SyntheticSpeaker } from './synthetic-speaker.test-helper.ts';
import { concatPcm, rms, toneShare } from './tone-analysis.test-helper.ts';

const OPEN = { toStage: true, toProgram: true };
const TONES = [440, 660, 550, 880, 330];

/** A stage with a real mixer on the real clock; the program is decoded as it arrives. */
function room() {
  const errors: unknown[] = [];
  const mixer = new Mixer<string>({ onError: (e) => errors.push(e) });
  const stage = new Stage<string>({ mixer, onError: (e) => errors.push(e) });
  const decoder = new OpusFrameDecoder();
  const program: { at: number; pcm: Int16Array }[] = [];
  mixer.onFrame((f) => program.push({ at: performance.now(), pcm: decoder.decode(f.opus).slice() }));
  mixer.start();
  const since = (t: number): Int16Array => concatPcm(program.filter((f) => f.at >= t).map((f) => f.pcm));
  return { stage, mixer, program, since, errors };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `ok()` or the deadline; generous because CI machines have 2 busy cores. */
async function until(ok: () => boolean, timeoutMs = 8000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!ok()) {
    if (performance.now() > end) throw new Error('condition not met in time');
    await sleep(20);
  }
}

const open: { close(): void }[] = [];
afterEach(() => {
  for (const o of open.splice(0)) o.close();
});

describe('Stage with real WebRTC speakers', () => {
  it("puts a speaker's tone into the program, dominant and above a level threshold", async () => {
    const { stage, since, errors } = room();
    open.push(stage);
    const a = await SyntheticSpeaker.join(stage, 'a', { freq: 440, amplitude: 0.5 });
    open.push(a);
    stage.setGate('a', OPEN);
    const t0 = performance.now();
    await until(() => rms(since(t0).subarray(-9600)) > 0.1);
    await sleep(600);
    const pcm = since(performance.now() - 500);
    expect(rms(pcm)).toBeGreaterThan(0.1);
    expect(toneShare(pcm, 440, TONES)).toBeGreaterThan(0.9);
    expect(stage.takeLevels().get('a')).toBeGreaterThan(0.05);
    expect(errors).toEqual([]);
  });

  it('mixes two speakers with different tones so both are in the program', async () => {
    const { stage, since } = room();
    open.push(stage);
    const a = await SyntheticSpeaker.join(stage, 'a', { freq: 440, amplitude: 0.3 });
    open.push(a);
    const b = await SyntheticSpeaker.join(stage, 'b', { freq: 660, amplitude: 0.3 });
    open.push(b);
    stage.setGate('a', OPEN);
    stage.setGate('b', OPEN);
    const t0 = performance.now();
    await until(() => {
      const pcm = since(t0).subarray(-24_000);
      return toneShare(pcm, 440, TONES) > 0.25 && toneShare(pcm, 660, TONES) > 0.25;
    });
    await sleep(500);
    const pcm = since(performance.now() - 400);
    expect(toneShare(pcm, 440, TONES)).toBeGreaterThan(0.25);
    expect(toneShare(pcm, 660, TONES)).toBeGreaterThan(0.25);
  });

  it('silences the program within 5 frames of closing the gate while the client keeps sending', async () => {
    const { stage, program, since } = room();
    open.push(stage);
    const a = await SyntheticSpeaker.join(stage, 'a', { freq: 440, amplitude: 0.5 });
    open.push(a);
    stage.setGate('a', OPEN);
    const t0 = performance.now();
    await until(() => rms(since(t0).subarray(-4800)) > 0.1);
    await sleep(300);
    const gatedBefore = stage.stats.gatedPackets;
    stage.takeLevels();
    const index = program.length;
    stage.setGate('a', { toStage: false, toProgram: false });
    await until(() => program.length >= index + 25);
    const after = program.slice(index, index + 25).map((f) => rms(f.pcm));
    // Frames after the call until the program is (and stays) below the threshold.
    let frames = after.findIndex((_, i) => after.slice(i).every((r) => r < 0.01));
    if (frames < 0) frames = Infinity;
    expect(frames).toBeLessThanOrEqual(5);
    expect(stage.stats.gatedPackets).toBeGreaterThan(gatedBefore + 10); // the client kept sending
    stage.takeLevels(); // still holds the frames queued before the call
    await sleep(100);
    expect(stage.takeLevels().get('a')).toBe(0);
  });

  it('backstage soundcheck: another member hears the speaker while the program stays silent', async () => {
    const { stage, since } = room();
    open.push(stage);
    const assigned: SlotAssignment<string>[] = [];
    stage.on('slotAssigned', (s) => assigned.push(s));
    const a = await SyntheticSpeaker.join(stage, 'a', { freq: 440, amplitude: 0.5, slots: 2 });
    open.push(a);
    const b = await SyntheticSpeaker.join(stage, 'b', { freq: 660, amplitude: 0.5, slots: 2 });
    open.push(b);
    stage.setGate('a', { toStage: true, toProgram: false });
    const slot = stage.slotsOf('b').find((s) => s.sender === 'a');
    expect(slot).toBeDefined();
    expect(assigned).toContainEqual(slot);
    const t0 = performance.now();
    await until(() => rms(b.received(slot!.mid, t0)) > 0.05);
    await sleep(500);
    const heard = b.received(slot!.mid, performance.now() - 400);
    expect(rms(heard)).toBeGreaterThan(0.05);
    expect(toneShare(heard, 440, TONES)).toBeGreaterThan(0.9);
    expect(rms(since(t0))).toBeLessThan(0.001);
    expect(stage.takeLevels().get('a')).toBeGreaterThan(0.05); // the host can see the soundcheck
  });

  it('never sends a member their own audio back', async () => {
    const { stage } = room();
    open.push(stage);
    const a = await SyntheticSpeaker.join(stage, 'a', { freq: 440, amplitude: 0.5, slots: 3 });
    open.push(a);
    const b = await SyntheticSpeaker.join(stage, 'b', { freq: 660, amplitude: 0.5, slots: 3 });
    open.push(b);
    stage.setGate('a', OPEN);
    stage.setGate('b', OPEN);
    expect(stage.slotsOf('a').map((s) => s.sender)).toEqual(['b']);
    expect(stage.slotsOf('b').map((s) => s.sender)).toEqual(['a']);
    const fromB = stage.slotsOf('a')[0]!;
    const t0 = performance.now();
    await until(() => rms(a.received(fromB.mid, t0)) > 0.05);
    await sleep(600);
    const t1 = performance.now() - 500;
    const ownTone = a.receiveMids().map((mid) => {
      const pcm = a.received(mid, t1);
      return { mid, level: rms(pcm), share440: pcm.length ? toneShare(pcm, 440, TONES) : 0 };
    });
    const onB = ownTone.find((x) => x.mid === fromB.mid)!;
    expect(onB.level).toBeGreaterThan(0.05);
    expect(onB.share440).toBeLessThan(0.05); // b's 660 Hz, not a's own 440 Hz
    for (const other of ownTone.filter((x) => x.mid !== fromB.mid)) expect(rms(a.received(other.mid, t1, true))).toBeLessThan(0.001);
  });

  it('stops taking a member’s audio the moment they are removed', async () => {
    const { stage, program } = room();
    open.push(stage);
    const left: string[] = [];
    stage.on('memberLeft', (id) => left.push(id));
    const a = await SyntheticSpeaker.join(stage, 'a', { freq: 440, amplitude: 0.5 });
    open.push(a);
    stage.setGate('a', OPEN);
    await until(() => program.length > 10 && rms(program.at(-1)!.pcm) > 0.1);
    const index = program.length;
    expect(stage.removeMember('a')).toBe(true);
    expect(stage.removeMember('a')).toBe(false);
    expect(left).toEqual(['a']);
    expect(stage.members()).toEqual([]);
    expect(() => stage.setGate('a', OPEN)).toThrow(MediaError);
    await until(() => program.length >= index + 10);
    expect(program.slice(index + 2, index + 10).every((f) => rms(f.pcm) < 0.01)).toBe(true);
    expect(stage.takeLevels().has('a')).toBe(false);
  });
});

describe('Stage lifecycle', () => {
  it('emits "closed" once, closes every peer and stops the mixer, and refuses new members after', async () => {
    const { stage, mixer } = room();
    const a = await SyntheticSpeaker.join(stage, 'a', { freq: 440, amplitude: 0.2 });
    open.push(a);
    let closed = 0;
    const states: string[] = [];
    stage.on('closed', () => closed++);
    stage.on('memberState', (_id, s) => states.push(s));
    stage.close();
    stage.close();
    expect(closed).toBe(1);
    expect(stage.closed).toBe(true);
    expect(mixer.running).toBe(false);
    expect(states).toContain('closed');
    expect(() => stage.addMember('b')).toThrow(MediaError);
  });

  it('rejects a duplicate member and an unknown one with typed errors', () => {
    const { stage } = room();
    open.push(stage);
    stage.addMember('a');
    expect(() => stage.addMember('a')).toThrow(expect.objectContaining({ reason: 'member-exists' }));
    expect(() => stage.setGate('zz', OPEN)).toThrow(expect.objectContaining({ reason: 'unknown-member' }));
    expect(stage.gateOf('a')).toEqual({ toStage: false, toProgram: false }); // everyone joins muted
  });
});
