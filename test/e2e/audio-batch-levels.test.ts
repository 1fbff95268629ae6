/**
 * A playing page while its node climbs the batch levels and comes back down, in real Chromium against
 * the real server (its own process): the thresholds are scaled down to one and two listeners
 * (AMPHI_BUSY_LISTENERS=1, AMPHI_PEAK_LISTENERS=2), so the first listener page hears 120 ms batches, a
 * second page joining moves the node to 160 ms, and its leaving brings it back to 120 ms — what every
 * listener of a room that grows past 10,000 and shrinks again lives through. Proves the first page
 * gets each level's cadence, learns the longer batch (its target holds it plus the margin), plays the
 * room's sound throughout, and does not stutter at the switches.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPlayed, listenIn, LOUD, messageGaps, openListeningRoom, realErrors, untilPlayed, type ListeningRoom } from './audio-helpers.ts';
import { rms } from './audio-signals.ts';
import { buildWeb } from './browser.ts';

let room: ListeningRoom;

beforeAll(async () => {
  buildWeb();
  room = await openListeningRoom({ AMPHI_BUSY_LISTENERS: '1', AMPHI_PEAK_LISTENERS: '2' }, { handle: 'katherine', name: 'Katherine Johnson', title: 'Growing past the peak' });
}, 120_000);

afterAll(async () => {
  await room?.close();
});

const pageNow = (page: Page): Promise<number> => page.evaluate(() => performance.now());
/** the node checks its level at most once a second: give it that and a batch to follow */
const LEVEL_SETTLE_MS = 1500;

/** waits for the node to settle on its level, then gathers `ms` of what the page played and its messages' cadence */
async function settleAndListen(page: Page, ms: number): Promise<{ played: number[]; gaps: { count: number; medianMs: number } }> {
  await page.waitForTimeout(LEVEL_SETTLE_MS);
  const since = await pageNow(page);
  const played = await collectPlayed(page, ms);
  return { played, gaps: await messageGaps(page, since) };
}

const expectCadence = (medianGapMs: number, batchMs: number): void => {
  expect(medianGapMs).toBeGreaterThan(batchMs * 0.75);
  expect(medianGapMs).toBeLessThan(batchMs * 1.25);
};

describe('a listener page while the node changes batch level', () => {
  it('follows 120 → 160 → 120 ms batches, holding the longer one, without stuttering', async () => {
    const browser = await room.browser();
    const first = await listenIn(room, browser);
    await untilPlayed(first.page, 2000, (x) => rms(x) > LOUD, 'loud');
    const busy = await settleAndListen(first.page, 2000);
    expectCadence(busy.gaps.medianMs, 120);

    const second = await listenIn(room, browser);
    const peak = await settleAndListen(first.page, 6000);
    expect(rms(peak.played)).toBeGreaterThan(LOUD);
    expectCadence(peak.gaps.medianMs, 160);
    const peakReport = await first.page.evaluate(() => window.__amphiAudio?.report ?? null);
    expect(peakReport?.targetMs).toBeGreaterThanOrEqual(160 + 60);

    await second.close();
    const after = await settleAndListen(first.page, 4000);
    expect(rms(after.played)).toBeGreaterThan(LOUD);
    expectCadence(after.gaps.medianMs, 120);

    const report = await first.page.evaluate(() => window.__amphiAudio?.report ?? null);
    // other test files share the machine's two cores: one starved render is let pass, a stutter is not
    expect(report?.underruns).toBeLessThanOrEqual(1);
    expect(report?.skips).toBe(0);
    expect(realErrors(first.errors)).toEqual([]);
    await first.close();
  }, 120_000);
});
