/**
 * The web player at a node's longest batch, in real Chromium against the real server: every listener
 * message carries 160 ms of audio (AMPHI_BATCH_MS=160, what a node past AMPHI_PEAK_LISTENERS sends), a
 * host's fake microphone keeps the room live, and a signed-out listener page plays it; the server runs
 * in its own process, as an operator runs it. Proves the player learns the gap between batches from
 * the messages themselves: its target holds one batch plus the margin, it does not run dry waiting for
 * the next batch, and what it plays is the room's sound. (A player that learns only from underruns
 * keeps its 130 ms target here and stutters once its start-up surplus is gone: jitter-buffer.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPlayed, listenIn, LOUD, messageGaps, openListeningRoom, realErrors, untilPlayed, type ListeningRoom } from './audio-helpers.ts';
import { rms } from './audio-signals.ts';
import { buildWeb } from './browser.ts';

const BATCH_MS = 160;

let room: ListeningRoom;

beforeAll(async () => {
  buildWeb();
  room = await openListeningRoom({ AMPHI_BATCH_MS: String(BATCH_MS) }, { handle: 'grace', name: 'Grace Hopper', title: 'The busiest night' });
}, 120_000);

afterAll(async () => {
  await room?.close();
});

describe('the web player when the node sends its longest batches', () => {
  it('holds a batch plus its margin and plays 160 ms batches without running dry', async () => {
    const p = await listenIn(room, await room.browser());
    await untilPlayed(p.page, 2000, (x) => rms(x) > LOUD, 'loud at 160 ms batches');
    const played = await collectPlayed(p.page, 8000);
    expect(rms(played)).toBeGreaterThan(LOUD);
    const report = await p.page.evaluate(() => window.__amphiAudio?.report ?? null);
    // the premise: the page got one message per 160 ms, not the default 60
    const gaps = await messageGaps(p.page, 0);
    expect(gaps.count).toBeGreaterThan(30);
    expect(gaps.medianMs).toBeGreaterThan(BATCH_MS * 0.75);
    expect(gaps.medianMs).toBeLessThan(BATCH_MS * 1.25);
    expect(report).not.toBeNull();
    expect(report?.targetMs).toBeGreaterThanOrEqual(BATCH_MS + 60);
    // 0 when the machine is quiet (measured, at 60 and at 160 ms); a stall of the whole VM can starve any
    // player once, and the audio held up behind it arrives at once and is skipped back to live once (seen
    // 2026-12-07 with this file running alone): one of each is let pass, a stutter is not
    expect(report?.underruns).toBeLessThanOrEqual(1);
    expect(report?.skips).toBeLessThanOrEqual(1);
    expect(realErrors(p.errors)).toEqual([]);
    await p.close();
  }, 90_000);
});
