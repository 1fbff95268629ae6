/**
 * @module test/e2e/audio-helpers — what the browser audio scenarios share: Chromium's autoplay rule put
 * back into headless pages, signing up through the real form, a live room with a host on stage and
 * signed-out pages listening in, and waiting on / gathering what a listener's page actually played (the
 * playout worklet's output) and when its messages came. Measures; never decides what is loud beyond the
 * two thresholds below.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { playedSamples } from './audio-probe.ts';
import { makeHostWav, rms } from './audio-signals.ts';
import { DESKTOP, launchChromium, openPerson, startAudioServer } from './browser.ts';

export const PASSWORD = 'a good long password';
/** RMS of a played stretch: speech measures ~0.05-0.2, decoded digital silence ~0 */
export const LOUD = 0.02;
export const SILENT = 0.003;

/**
 * Chromium's autoplay rule, which its headless mode does not apply: an AudioContext made before the
 * person tapped or typed starts suspended, and resume() works only after that
 */
export const AUTOPLAY_RULE = `(() => {
  let tapped = false;
  for (const type of ['pointerdown', 'keydown']) window.addEventListener(type, (e) => { if (e.isTrusted) tapped = true; }, true);
  const Real = window.AudioContext;
  const resume = Real.prototype.resume;
  Real.prototype.resume = function () {
    return tapped ? resume.call(this) : Promise.reject(new DOMException('The AudioContext was not allowed to start', 'NotAllowedError'));
  };
  window.AudioContext = class extends Real {
    constructor(options) {
      super(options);
      if (!tapped) void this.suspend();
    }
  };
})();`;

export { realErrors } from './browser.ts';

export async function signUp(page: Page, handle: string, name: string): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Display name').fill(name);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('link', { name: `Your profile, ${name}` }).waitFor();
}

/** keeps the arrival time of every binary message on the listener socket, to check the cadence the page got */
export const ARRIVALS = `(() => {
  window.__arrivals = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      if (String(url).includes('/ws/listen')) this.addEventListener('message', (e) => { if (typeof e.data !== 'string') window.__arrivals.push(performance.now()); });
    }
  };
})();`;

/** the gaps between the listener socket's binary messages that arrived after `sinceMs` (page time; needs ARRIVALS) */
export async function messageGaps(page: Page, sinceMs: number): Promise<{ count: number; medianMs: number }> {
  const arrivals = await page.evaluate((since) => (window as unknown as { __arrivals: number[] }).__arrivals.filter((t) => t >= since), sinceMs);
  const gaps = arrivals.slice(1).map((t, i) => t - (arrivals[i] as number)).sort((a, b) => a - b);
  return { count: gaps.length, medianMs: gaps[Math.floor(gaps.length / 2)] ?? Number.NaN };
}

/** a signed-up host creates a room titled `title`, goes live and unmutes; returns the room's URL */
export async function hostLiveRoom(page: Page, handle: string, name: string, title: string): Promise<string> {
  await signUp(page, handle, name);
  await page.goto('/new');
  await page.getByLabel('Title').fill(title);
  await page.getByRole('button', { name: 'Create room' }).click();
  await page.getByRole('button', { name: 'Go live' }).click();
  await page.locator('.pill-live').waitFor();
  await page.getByRole('button', { name: 'Unmute your microphone' }).click();
  await page.getByRole('button', { name: 'Mute your microphone' }).waitFor();
  return page.url();
}

/** polls the listener's played output (last `ms`) until `ok` holds; returns that stretch */
export async function untilPlayed(page: Page, ms: number, ok: (x: number[]) => boolean, what: string, timeoutMs = 15_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let last: number[] = [];
  while (Date.now() < deadline) {
    last = await playedSamples(page, ms);
    if (last.length > 0 && ok(last)) return last;
    await page.waitForTimeout(250);
  }
  throw new Error(`the listener's output never became ${what} (last RMS ${rms(last).toFixed(4)} over ${ms} ms)`);
}

/** `ms` of the listener's played output, gathered 2 s at a time as it plays */
export async function collectPlayed(page: Page, ms: number): Promise<number[]> {
  const out: number[] = [];
  for (let got = 0; got < ms; got += 2000) {
    await page.waitForTimeout(2000);
    out.push(...(await playedSamples(page, 2000)));
  }
  return out;
}

/**
 * counts every reaction bubble that floats up on `page` from now on (they leave after a few seconds),
 * as { emoji: [count of each bubble] }
 */
export async function watchBubbles(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: Record<string, number[]> = {};
    (window as unknown as { __bubbles: Record<string, number[]> }).__bubbles = seen;
    new MutationObserver((records) => {
      for (const r of records)
        for (const n of Array.from(r.addedNodes))
          if (n instanceof HTMLElement && n.classList.contains('bubble')) (seen[n.dataset['reaction'] ?? '?'] ??= []).push(Number(n.dataset['count'] ?? '1'));
    }).observe(document.body, { childList: true, subtree: true });
  });
}

export function bubbles(page: Page): Promise<Record<string, number[]>> {
  return page.evaluate(() => (window as unknown as { __bubbles?: Record<string, number[]> }).__bubbles ?? {});
}

/** a live room on a server of its own: a host browser with the low voice as its microphone is on stage */
export interface ListeningRoom {
  readonly serverUrl: string;
  readonly roomUrl: string;
  /** a fresh Chromium, closed with the room */
  browser(): Promise<Browser>;
  close(): Promise<void>;
}

export async function openListeningRoom(env: Record<string, string>, host: { handle: string; name: string; title: string }): Promise<ListeningRoom> {
  const server = await startAudioServer(env);
  const browsers: Browser[] = [];
  const wav = makeHostWav(mkdtempSync(join(tmpdir(), 'amphi-wav-')));
  const hostBrowser = await launchChromium([`--use-file-for-fake-audio-capture=${wav}`]);
  browsers.push(hostBrowser);
  const page = (await openPerson(hostBrowser, server.url)).page;
  const roomUrl = await hostLiveRoom(page, host.handle, host.name, host.title);
  return {
    serverUrl: server.url,
    roomUrl,
    browser: async () => {
      const b = await launchChromium();
      browsers.push(b);
      return b;
    },
    close: async () => {
      for (const b of browsers) await b.close();
      await server.stop();
    },
  };
}

/** a signed-out desktop page that taps "Tap to listen" in `room` and keeps its messages' arrival times */
export async function listenIn(room: ListeningRoom, browser: Browser): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const p = await openPerson(browser, room.serverUrl, DESKTOP);
  await p.context.addInitScript(AUTOPLAY_RULE);
  await p.context.addInitScript(ARRIVALS);
  await p.page.goto(room.roomUrl);
  await p.page.getByRole('button', { name: 'Tap to listen' }).click();
  await p.page.getByText('Listening live').waitFor();
  return { page: p.page, errors: p.errors, close: () => p.context.close() };
}
