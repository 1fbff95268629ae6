/**
 * The web player at a node's longest batch, in real Chromium against the real server: every listener
 * message carries 160 ms of audio (AMPHI_BATCH_MS=160, what a node past AMPHI_PEAK_LISTENERS sends), a
 * host's fake microphone keeps the room live, and a signed-out listener page plays it; the server runs
 * in its own process, as an operator runs it. Proves the player learns the gap between batches from
 * the messages themselves: its target holds one batch plus the margin, it does not run dry waiting for
 * the next batch, and what it plays is the room's sound. (A player that learns only from underruns
 * keeps its 130 ms target here and stutters once its start-up surplus is gone: jitter-buffer.test.ts.)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTOPLAY_RULE, collectPlayed, hostLiveRoom, LOUD, realErrors, untilPlayed } from './audio-helpers.ts';
import { makeHostWav, rms } from './audio-signals.ts';
import { buildWeb, DESKTOP, launchChromium, openPerson, startAudioServer } from './browser.ts';

const BATCH_MS = 160;

/** keeps the arrival time of every binary message on the listener socket, to check the cadence the page got */
const ARRIVALS = `(() => {
  window.__arrivals = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      if (String(url).includes('/ws/listen')) this.addEventListener('message', (e) => { if (typeof e.data !== 'string') window.__arrivals.push(performance.now()); });
    }
  };
})();`;

let server: Awaited<ReturnType<typeof startAudioServer>>;
const browsers: Browser[] = [];
let roomUrl: string;

beforeAll(async () => {
  buildWeb();
  const wav = makeHostWav(mkdtempSync(join(tmpdir(), 'amphi-wav-')));
  server = await startAudioServer({ AMPHI_BATCH_MS: String(BATCH_MS) });
  const hostBrowser = await launchChromium([`--use-file-for-fake-audio-capture=${wav}`]);
  browsers.push(hostBrowser);
  const host = await openPerson(hostBrowser, server.url);
  roomUrl = await hostLiveRoom(host.page, 'grace', 'Grace Hopper', 'The busiest night');
}, 120_000);

afterAll(async () => {
  for (const b of browsers) await b.close();
  await server?.stop();
});

describe('the web player when the node sends its longest batches', () => {
  it('holds a batch plus its margin and plays 160 ms batches without running dry', async () => {
    const browser = await launchChromium();
    browsers.push(browser);
    const p = await openPerson(browser, server.url, DESKTOP);
    await p.context.addInitScript(AUTOPLAY_RULE);
    await p.context.addInitScript(ARRIVALS);
    await p.page.goto(roomUrl);
    await p.page.getByRole('button', { name: 'Tap to listen' }).click();
    await p.page.getByText('Listening live').waitFor();
    await untilPlayed(p.page, 2000, (x) => rms(x) > LOUD, 'loud at 160 ms batches');
    const played = await collectPlayed(p.page, 8000);
    expect(rms(played)).toBeGreaterThan(LOUD);
    const report = await p.page.evaluate(() => window.__amphiAudio?.report ?? null);
    // the premise: the page got one message per 160 ms, not the default 60
    const arrivals = await p.page.evaluate(() => (window as unknown as { __arrivals: number[] }).__arrivals);
    const gaps = arrivals.slice(1).map((t, i) => t - (arrivals[i] as number)).sort((a, b) => a - b);
    expect(gaps.length).toBeGreaterThan(30);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeGreaterThan(BATCH_MS * 0.75);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThan(BATCH_MS * 1.25);
    expect(report).not.toBeNull();
    expect(report?.targetMs).toBeGreaterThanOrEqual(BATCH_MS + 60);
    // 0 when the machine is quiet (measured, at 60 and at 160 ms); other test files share its two cores
    // and a stall of the whole machine can starve any player once, so one is let pass, not a stutter
    expect(report?.underruns).toBeLessThanOrEqual(1);
    expect(report?.skips).toBe(0);
    expect(realErrors(p.errors)).toEqual([]);
    await p.context.close();
  }, 90_000);
});
