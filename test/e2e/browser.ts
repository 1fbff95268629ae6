/**
 * @module test/e2e/browser — Debian's Chromium driven by playwright-core, with the flags of DESIGN.md
 * §3, and the web app built fresh so the server serves the code under test. Each person in a scenario
 * gets their own browser context (own cookies and storage). playwright's launch() already gives each
 * browser a fresh temporary profile (it refuses a --user-data-dir flag), which is the isolation §3 asks for.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startAmphiProcess } from '../support/amphi-process.ts';
import { BUILD_INPUTS, stampPng, webSourceHash } from '../support/screenshot-stamp.ts';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * puts this test process in the real-time round-robin class at its lowest priority (SCHED_RR 1), and
 * with it the server and browsers it starts from now on: a test that checks playback measures the
 * player, not the other jobs on a shared machine. With a busy loop pinned on one core, the batch-level
 * test's page ran dry 19-36 times at normal or raised (nice -10) priority, twice in this class. Where
 * the class is refused (no CAP_SYS_NICE) it says so in one loud line and the checks run as they are.
 */
export function claimRealTime(): void {
  const r = spawnSync('chrt', ['--all-tasks', '--rr', '--pid', '1', String(process.pid)], { encoding: 'utf8' });
  if (r.status === 0) return;
  const why = r.error ? r.error.message : r.stderr.trim();
  console.warn(`\n*** the audio test could not take real-time priority (chrt: ${why}): on a busy machine its playback checks may fail ***\n`);
}

/**
 * The server for tests that listen to what a page plays: its own process, as an operator runs it.
 * Inside the test's process, Playwright's work stalled the event loop 160-260 ms at a time; the
 * mixer's clock skipped the ticks past its catch-up bound and the listener page ran dry 3-5 times in
 * 10 s, which a real node never sees from its clients. It and the browsers launched after it run in
 * the real-time class (claimRealTime).
 */
export async function startAudioServer(env: Record<string, string> = {}): Promise<{ url: string; stop(): Promise<void> }> {
  claimRealTime();
  const dataDir = mkdtempSync(join(tmpdir(), 'amphi-e2e-'));
  const server = await startAmphiProcess({
    AMPHI_DATA_DIR: dataDir,
    AMPHI_DATABASE_URL: '',
    AMPHI_HOST: '127.0.0.1',
    // every test person signs up from 127.0.0.1; the sign-up limit has a test of its own
    AMPHI_SIGNUPS_PER_HOUR: '1000000',
    // the tests share two busy cores: a slow event loop must not hold test listeners in line
    AMPHI_MAX_LAG_MS: '60000',
    ...env,
  });
  return {
    url: server.url,
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
const REPO = fileURLToPath(new URL('../../', import.meta.url));

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
];


function newestChange(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newestChange(join(path, name))), st.mtimeMs);
}

/**
 * builds web/ into web/dist when it is missing or older than its sources, so the server started next
 * serves this very code; skipping a fresh build keeps other test files' servers from starting while
 * web/dist is being rewritten
 */
export function buildWeb(): void {
  const index = join(REPO, 'web/dist/index.html');
  if (existsSync(index) && statSync(index).mtimeMs > Math.max(...BUILD_INPUTS.map((p) => newestChange(join(REPO, p))))) return;
  const r = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`web build failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
}

/** `executable`: a wrapper that starts Debian's Chromium (in a network namespace, say); Chromium itself by default */
export async function launchChromium(extraArgs: readonly string[] = [], executable = CHROMIUM): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`apt-get update && apt-get install -y chromium\` (npm test does this)`);
  return chromium.launch({ executablePath: executable, headless: true, args: [...FLAGS, ...extraArgs] });
}

export const DESKTOP = { viewport: { width: 1280, height: 860 } } as const;
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } as const;

/** a person's own context; page errors and console errors are collected so the test can assert none happened */
export async function openPerson(browser: Browser, baseURL: string, opts: typeof DESKTOP | typeof PHONE = DESKTOP): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ ...opts, baseURL });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { context, page, errors };
}

/** product screenshots (and figures) go to docs/ only when asked, AMPHI_SCREENSHOTS=docs; every run still makes them */
export const TO_DOCS = process.env['AMPHI_SCREENSHOTS'] === 'docs';
export const SHOTS = TO_DOCS ? join(REPO, 'docs/screenshots/') : join(tmpdir(), 'amphi-screenshots/');

/** the sources do not change during a run: hashed once, at the first screenshot */
let sourceHash: string | null = null;

/** each PNG carries the hash of the sources it shows (npm run screenshots refuses stale ones) */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  sourceHash ??= webSourceHash(REPO);
  writeFileSync(`${SHOTS}${name}.png`, stampPng(await page.screenshot({ fullPage: false }), sourceHash));
}

/** Chromium logs every non-2xx fetch (401 from /api/me when signed out, refusals) as a console error */
export const realErrors = (errors: readonly string[]): string[] => errors.filter((e) => !e.includes('Failed to load resource'));
