/**
 * Listening where browsers most often go silent, in real Chromium against the real server: one host
 * browser with a fake microphone (the low voice and noise bursts) keeps a room live, and one listener
 * browser (no microphone) opens a context per case. Every check measures what the page played.
 * Proves: a 390 px phone-emulated page plays after a tap and fits the screen; a page keeps playing
 * once hidden, with the Media Session naming the room and host; a room joined while the page was
 * hidden offers "Tap to listen" when shown and then plays; where WebCodecs is missing the page plays
 * the <audio> live.ogg fallback (its clock advances, no error, and its stream is not silent); a
 * listening page, signed out or in, opens one WebSocket (the audio socket) and follows the room on it.
 * Headless Chromium keeps every page visible (a second tab in front or a minimised window changes
 * nothing, tried), so hiding is the page-visible part of it: document.visibilityState and the
 * visibilitychange event, overridden before the app loads.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTOPLAY_RULE, collectPlayed, hostLiveRoom, LOUD, realErrors, signUp, untilPlayed } from './audio-helpers.ts';
import { makeHostWav, rms } from './audio-signals.ts';
import { buildWeb, DESKTOP, launchChromium, openPerson, PHONE, startAudioServer } from './browser.ts';

const SHOTS = join(tmpdir(), 'amphi-screenshots/');
const TITLE = 'Listening anywhere';

/** document visibility the test controls: starts as `initial`, window.__setVisibility flips it and fires visibilitychange */
const visibility = (initial: 'visible' | 'hidden') => `(() => {
  let state = ${JSON.stringify(initial)};
  Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => state });
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => state === 'hidden' });
  window.__setVisibility = (s) => { state = s; document.dispatchEvent(new Event('visibilitychange')); };
})();`;

/** a browser without WebCodecs' decoder; every media element that is played is kept for the test */
const NO_WEBCODECS = `(() => {
  delete window.AudioDecoder;
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () { window.__media = this; return play.call(this); };
})();`;

let server: Awaited<ReturnType<typeof startAudioServer>>;
const browsers: Browser[] = [];
let listenerBrowser: Browser;
let roomUrl: string;

beforeAll(async () => {
  buildWeb();
  const wav = makeHostWav(mkdtempSync(join(tmpdir(), 'amphi-wav-')));
  server = await startAudioServer();
  mkdirSync(SHOTS, { recursive: true });
  const hostBrowser = await launchChromium([`--use-file-for-fake-audio-capture=${wav}`]);
  browsers.push(hostBrowser);
  const host = await openPerson(hostBrowser, server.url);
  roomUrl = await hostLiveRoom(host.page, 'hedy', 'Hedy Lamarr', TITLE);
  listenerBrowser = await launchChromium();
  browsers.push(listenerBrowser);
}, 120_000);

afterAll(async () => {
  for (const b of browsers) await b.close();
  await server?.stop();
});

async function listener(opts: typeof DESKTOP | typeof PHONE, ...scripts: string[]): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const p = await openPerson(listenerBrowser, server.url, opts);
  for (const s of scripts) await p.context.addInitScript(s);
  return p;
}

const setVisibility = (page: Page, s: 'visible' | 'hidden') =>
  page.evaluate((v) => (window as unknown as { __setVisibility: (s: string) => void }).__setVisibility(v), s);

describe('listening in Chromium where sound usually fails', () => {
  it('a phone-sized page plays the room after a tap and fits 390 px', async () => {
    const phone = await listener(PHONE, AUTOPLAY_RULE);
    await phone.page.goto(roomUrl);
    const tap = phone.page.getByRole('button', { name: 'Tap to listen' });
    await tap.waitFor();
    await tap.tap();
    await phone.page.getByText('Listening live').waitFor();
    expect(await phone.page.evaluate(() => window.__amphiAudio?.path)).toBe('worklet');
    await untilPlayed(phone.page, 2000, (x) => rms(x) > LOUD, 'loud on the phone');
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.page.screenshot({ path: `${SHOTS}listener-phone-playing.png` });
    expect(realErrors(phone.errors)).toEqual([]);
    await phone.context.close();
  }, 60_000);

  it('a playing page keeps playing once hidden, and tells the system what plays', async () => {
    const p = await listener(DESKTOP, AUTOPLAY_RULE, visibility('visible'));
    await p.page.goto(roomUrl);
    await p.page.getByRole('button', { name: 'Tap to listen' }).click();
    await untilPlayed(p.page, 2000, (x) => rms(x) > LOUD, 'loud while visible');
    expect(await p.page.evaluate(() => [navigator.mediaSession.metadata?.title, navigator.mediaSession.metadata?.artist, navigator.mediaSession.playbackState])).toEqual([
      TITLE,
      'Hedy Lamarr',
      'playing',
    ]);
    await setVisibility(p.page, 'hidden');
    expect(await p.page.evaluate(() => document.visibilityState)).toBe('hidden');
    // what it played while hidden, gathered as it played
    const hidden = await collectPlayed(p.page, 6000);
    expect(rms(hidden)).toBeGreaterThan(LOUD);
    expect(await p.page.evaluate(() => window.__amphiAudio?.context?.state)).toBe('running');
    expect(realErrors(p.errors)).toEqual([]);
    await p.context.close();
  }, 60_000);

  it('a room joined while the page was hidden plays once it is shown', async () => {
    const p = await listener(DESKTOP, AUTOPLAY_RULE, visibility('hidden'));
    await p.page.goto(roomUrl);
    await p.page.locator('.pill-live').waitFor();
    expect(await p.page.evaluate(() => document.visibilityState)).toBe('hidden');
    await setVisibility(p.page, 'visible');
    // nobody has tapped this page yet, so the browser still refuses sound: the page says so plainly
    const tap = p.page.getByRole('button', { name: 'Tap to listen' });
    await tap.waitFor();
    await tap.click();
    await p.page.getByText('Listening live').waitFor();
    await untilPlayed(p.page, 2000, (x) => rms(x) > LOUD, 'loud once shown and tapped');
    expect(realErrors(p.errors)).toEqual([]);
    await p.context.close();
  }, 60_000);

  it('without WebCodecs the page plays the room through <audio src=live.ogg>', async () => {
    const p = await listener(DESKTOP, NO_WEBCODECS);
    await p.page.goto(roomUrl);
    await p.page.locator('.pill-live').waitFor();
    await p.page.waitForFunction(() => window.__amphiAudio?.path === 'fallback');
    await p.page.waitForFunction(() => {
      const m = (window as unknown as { __media?: HTMLMediaElement }).__media;
      return m !== undefined && !m.paused && m.currentTime > 0;
    });
    const first = await p.page.evaluate(() => {
      const m = (window as unknown as { __media: HTMLMediaElement }).__media;
      return { src: new URL(m.currentSrc).pathname, t: m.currentTime };
    });
    expect(first.src).toMatch(/^\/rooms\/[^/]+\/live\.ogg$/);
    await p.page.waitForTimeout(3000);
    const later = await p.page.evaluate(() => {
      const m = (window as unknown as { __media: HTMLMediaElement }).__media;
      return { t: m.currentTime, error: m.error?.code ?? null, paused: m.paused };
    });
    expect(later.error).toBeNull();
    expect(later.paused).toBe(false);
    expect(later.t - first.t).toBeGreaterThan(1.5);
    // what the element plays, tapped off its own stream: the host's voice and bursts, not silence
    const loudest = await p.page.evaluate(async () => {
      const m = (window as unknown as { __media: HTMLMediaElement & { captureStream(): MediaStream } }).__media;
      const ctx = new AudioContext();
      await ctx.resume();
      const an = ctx.createAnalyser();
      an.fftSize = 4096;
      ctx.createMediaStreamSource(m.captureStream()).connect(an);
      const buf = new Float32Array(an.fftSize);
      let best = 0;
      for (let i = 0; i < 40; i++) {
        await new Promise((r) => setTimeout(r, 100));
        an.getFloatTimeDomainData(buf);
        let s = 0;
        for (const v of buf) s += v * v;
        best = Math.max(best, Math.sqrt(s / buf.length));
      }
      return best;
    });
    expect(loudest).toBeGreaterThan(LOUD);
    await p.page.getByText('Listening live').waitFor();
    expect(realErrors(p.errors)).toEqual([]);
    await p.context.close();
  }, 60_000);

  it('a listening page opens one socket, the audio one, and follows the room on it; signed in, its hand goes up over HTTP', async () => {
    for (const signedIn of [false, true]) {
      const p = await listener(DESKTOP, AUTOPLAY_RULE);
      const sockets: string[] = [];
      p.page.on('websocket', (ws) => sockets.push(new URL(ws.url()).pathname));
      if (signedIn) await signUp(p.page, 'ada_one_socket', 'Ada Lovelace');
      await p.page.goto(roomUrl);
      await p.page.getByRole('button', { name: 'Tap to listen' }).click();
      await p.page.getByText('Listening live').waitFor();
      await untilPlayed(p.page, 1000, (x) => rms(x) > LOUD, 'the host, heard');
      // the room's view came on the audio socket: title, host, the count including this page
      await p.page.getByRole('heading', { name: TITLE }).waitFor();
      await p.page.locator('.listeners[aria-label$="listening"]').waitFor();
      const other = await listener(DESKTOP);
      await other.page.goto(roomUrl);
      await other.page.getByRole('heading', { name: TITLE }).waitFor();
      const count = () => p.page.locator('.listeners').getAttribute('aria-label');
      await expect.poll(count, { timeout: 10_000 }).toMatch(/^[2-9]\d* listening$/);
      await other.context.close();
      if (signedIn) {
        await p.page.getByRole('button', { name: 'Raise hand' }).click();
        await p.page.getByRole('button', { name: 'Lower hand' }).waitFor();
        await p.page.getByRole('button', { name: 'Lower hand' }).click();
        await p.page.getByRole('button', { name: 'Raise hand' }).waitFor();
      }
      expect(sockets, signedIn ? 'signed in' : 'signed out').toEqual(['/ws/listen']);
      expect(realErrors(p.errors)).toEqual([]);
      await p.context.close();
    }
  });
});
