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

/**
 * keeps the arrival time of every binary message on the listener socket, to check the cadence the page
 * got, and of every audio batch its frame count (docs/protocol.md: 0xA1, type 1, u16 count), to check
 * the page is fed in real time
 */
export const ARRIVALS = `(() => {
  window.__arrivals = [];
  window.__batches = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      if (String(url).includes('/ws/listen')) this.addEventListener('message', (e) => {
        if (typeof e.data === 'string') return;
        const t = performance.now();
        window.__arrivals.push(t);
        const v = e.data instanceof ArrayBuffer ? new DataView(e.data) : null;
        if (v && v.byteLength >= 4 && v.getUint8(0) === 0xa1 && v.getUint8(1) === 1) window.__batches.push([t, v.getUint16(2)]);
      });
    }
  };
})();`;

/**
 * keeps every playout report the page gets (about ten a second) with its page time, so a test can tell
 * when the player ran dry and what it held then: window.__amphiAudio is made here, before the app,
 * with `report` kept as it is set
 */
export const REPORTS = `(() => {
  window.__reports = [];
  let report = null;
  const hooks = {};
  Object.defineProperty(hooks, 'report', {
    enumerable: true,
    get: () => report,
    set: (r) => {
      report = r;
      if (r) window.__reports.push([performance.now(), r.underruns, r.skips, r.targetMs]);
    },
  });
  window.__amphiAudio = hooks;
})();`;

/** one playout report: page time, underruns and skips so far, the target then */
type Report = [at: number, underruns: number, skips: number, targetMs: number];

/** how a page played since some moment (playoutSince) */
export interface PlayoutRecord {
  /** times the player ran dry */
  readonly underruns: number;
  /** times it dropped audio to get back to live */
  readonly skips: number;
  /**
   * of those, the ones a starved machine explains: within the 1.5 s before, the listener socket
   * brought nothing, or the page's audio did not run, for longer than the target the player held (a
   * starved server or page, not the player)
   */
  readonly starved: number;
  /** the longest gap between the socket's messages, ms */
  readonly longestGapMs: number;
}

/**
 * reads a page's playout since `sinceMs` (page time; needs REPORTS and ARRIVALS): each underrun or skip
 * is put down to a starved machine when a gap between messages, or between the worklet's reports,
 * longer than the target then held ended in the 1.5 s before the report that counted it, and to the
 * player otherwise
 */
export async function playoutSince(page: Page, sinceMs: number): Promise<PlayoutRecord> {
  const { reports, arrivals } = await page.evaluate((since) => {
    const w = window as unknown as { __reports?: Report[]; __arrivals?: number[] };
    if (!w.__reports || !w.__arrivals) throw new Error('the page keeps no reports or arrivals: add the REPORTS and ARRIVALS init scripts');
    return { reports: w.__reports.filter(([t]) => t >= since), arrivals: w.__arrivals.filter((t) => t >= since - 1500) };
  }, sinceMs);
  const gaps = arrivals.slice(1).map((t, i) => ({ end: t, ms: t - (arrivals[i] as number) }));
  // the worklet reports every 100 ms of audio it renders; a longer silence means the page did not run
  const reportGaps = reports.slice(1).map(([t], i) => ({ end: t, ms: t - (reports[i] as Report)[0] }));
  let underruns = 0;
  let skips = 0;
  let starved = 0;
  for (let k = 1; k < reports.length; k++) {
    const [at, u, sk] = reports[k] as Report;
    const [, u0, sk0, target] = reports[k - 1] as Report;
    const events = u - u0 + (sk - sk0);
    if (events === 0) continue;
    underruns += u - u0;
    skips += sk - sk0;
    const stalled = (g: { end: number; ms: number }) => g.end <= at && g.end >= at - 1500 && g.ms > target;
    if (gaps.some(stalled) || reportGaps.some(stalled)) starved += events;
  }
  return {
    underruns,
    skips,
    starved,
    longestGapMs: Math.max(0, ...gaps.filter((g) => g.end >= sinceMs).map((g) => g.ms)),
  };
}

/** the gaps between the listener socket's binary messages that arrived after `sinceMs` (page time; needs ARRIVALS) */
export async function messageGaps(page: Page, sinceMs: number): Promise<{ count: number; medianMs: number }> {
  const arrivals = await page.evaluate((since) => (window as unknown as { __arrivals: number[] }).__arrivals.filter((t) => t >= since), sinceMs);
  const gaps = arrivals.slice(1).map((t, i) => t - (arrivals[i] as number)).sort((a, b) => a - b);
  return { count: gaps.length, medianMs: gaps[Math.floor(gaps.length / 2)] ?? Number.NaN };
}

/** what a listener page got and played over a stretch of time (watchPlayout) */
export interface Playout {
  /** page time the watch took, ms */
  readonly elapsedMs: number;
  /** program frames the listener socket brought meanwhile */
  readonly frames: number;
  /** when it ran dry or skipped meanwhile, and whether a starved feed explains it */
  readonly record: PlayoutRecord;
  /** the player's state at the end: 'playing' unless it ran dry and is filling up again */
  readonly state: string | null;
  /** the last min(elapsedMs, 2000) ms the page played */
  readonly played: number[];
}

/**
 * watches a listener page for `ms` (needs ARRIVALS and REPORTS): silence a page plays because the mix
 * is silent comes with frames at 50 a second and a player that does not run dry; a page whose feed
 * stopped plays the same zeros
 */
export async function watchPlayout(page: Page, ms: number): Promise<Playout> {
  const since = await page.evaluate(() => performance.now());
  await page.waitForTimeout(ms);
  const after = await page.evaluate((from) => {
    const batches = (window as unknown as { __batches?: [number, number][] }).__batches;
    if (!batches) throw new Error('the page keeps no batch arrivals: add the ARRIVALS init script');
    return { at: performance.now(), frames: batches.filter(([t]) => t >= from).reduce((n, [, count]) => n + count, 0), state: window.__amphiAudio?.report?.state ?? null };
  }, since);
  const elapsedMs = after.at - since;
  return { elapsedMs, frames: after.frames, record: await playoutSince(page, since), state: after.state, played: await playedSamples(page, Math.min(elapsedMs, 2000)) };
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
    if (ok(last)) return last;
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
  await p.context.addInitScript(REPORTS);
  await p.page.goto(room.roomUrl);
  await p.page.getByRole('button', { name: 'Tap to listen' }).click();
  await p.page.getByText('Listening live').waitFor();
  return { page: p.page, errors: p.errors, close: () => p.context.close() };
}
