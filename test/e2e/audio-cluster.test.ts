/**
 * The web app on a cluster, in real Chromium (issue 16): two origin-capable nodes and two edges as
 * processes, real NATS and PostgreSQL, and a front proxy of the test's own as the one address the
 * pages use (as nginx would be). A host browser with a fake microphone runs a live room; a listener
 * page plays it through an edge. The room's origin is killed: the page goes on playing after a gap,
 * never reloaded. Then the listener's edge is killed: the page moves to the other edge by itself and
 * plays again. Every check measures what the page played.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { ARRIVALS, AUTOPLAY_RULE, hostLiveRoom, LOUD, untilPlayed } from './audio-helpers.ts';
import { makeHostWav, rms } from './audio-signals.ts';
import { buildWeb, claimRealTime, launchChromium, openPerson } from './browser.ts';
import { startFrontProxy, type FrontProxy } from '../support/front-proxy.ts';
import type { AmphiProcess } from '../support/amphi-process.ts';
import { leaseHolder, testCluster } from '../support/test-cluster.ts';

const { up, node, databaseUrl, cleanup } = await testCluster('audio_cluster');
const browsers: Browser[] = [];
let front: FrontProxy | null = null;

afterAll(async () => {
  for (const b of browsers) await b.close();
  await front?.close();
});

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 0));
    });
  });

const audioListeners = async (p: AmphiProcess): Promise<number> => {
  const text = await fetch(`${p.url}/metrics`).then((r) => r.text());
  return Number(/^amphi_audio_listeners (\d+)/m.exec(text)?.[1] ?? 0);
};

describe.skipIf(!up)('the web app on a cluster', () => {
  it('a listener page keeps playing through an origin kill and moves to another edge when its edge dies', { timeout: 300_000 }, async () => {
    buildWeb();
    claimRealTime();
    front = await startFrontProxy([]);
    const env = { AMPHI_PUBLIC_URL: front.url, AMPHI_SIGNUPS_PER_HOUR: '1000000', AMPHI_MAX_LAG_MS: '60000' };
    const o1 = await node('web-origin-1', 'origin', env);
    const o2 = await node('web-origin-2', 'origin', env);
    const edges: AmphiProcess[] = [];
    for (const name of ['web-edge-1', 'web-edge-2']) {
      const port = await freePort();
      edges.push(await node(name, 'edge', { ...env, AMPHI_LISTEN_PORT: String(port), AMPHI_LISTEN_URL: `ws://127.0.0.1:${port}` }));
    }
    front.backends = [o1, o2, ...edges].map((p) => `127.0.0.1:${new URL(p.url).port}`);

    const wav = makeHostWav(mkdtempSync(join(tmpdir(), 'amphi-wav-')));
    const hostBrowser = await launchChromium([`--use-file-for-fake-audio-capture=${wav}`]);
    browsers.push(hostBrowser);
    const host = await openPerson(hostBrowser, front.url);
    const roomUrl = await hostLiveRoom(host.page, `chost${Math.floor(Math.random() * 1e6)}`, 'Grace Hopper', 'Across nodes');
    const roomId = new URL(roomUrl).pathname.split('/').at(-1) ?? '';

    const listenerBrowser = await launchChromium();
    browsers.push(listenerBrowser);
    const l = await openPerson(listenerBrowser, front.url);
    await l.context.addInitScript(AUTOPLAY_RULE);
    await l.context.addInitScript(ARRIVALS);
    await l.page.goto(roomUrl);
    await l.page.getByRole('button', { name: 'Tap to listen' }).click();
    await l.page.getByText('Listening live').waitFor();
    await untilPlayed(l.page, 1000, (x) => rms(x) > LOUD, 'the host', 30_000);
    // a mark on the page: a reload would lose it
    await l.page.evaluate(() => ((window as unknown as { __mark: number }).__mark = 42));

    // the room's origin dies: the stage moves to the other origin, the listener stays on its edge
    const holder = await leaseHolder(databaseUrl, roomId);
    const origin = holder === 'web-origin-1' ? o1 : o2;
    const killedAt = await l.page.evaluate(() => performance.now());
    await origin.kill();
    front.backends = [o1, o2, ...edges].filter((p) => p !== origin).map((p) => `127.0.0.1:${new URL(p.url).port}`);
    // the page's audio socket falls quiet while the stage moves, then the new origin's program arrives
    const gapAfter = (since: number) => l.page.evaluate((t0) => {
      const a = (window as unknown as { __arrivals: number[] }).__arrivals.filter((t) => t >= t0 - 1000);
      let gap = 0;
      for (let i = 1; i < a.length; i += 1) gap = Math.max(gap, (a[i] ?? 0) - (a[i - 1] ?? 0));
      return { gap, last: a.at(-1) ?? 0 };
    }, since);
    await expect.poll(async () => { const g = await gapAfter(killedAt); return g.gap > 1000 && g.last > killedAt + g.gap + 1500; }, { timeout: 30_000 }).toBe(true);
    const originGap = await gapAfter(killedAt);
    expect(originGap.gap).toBeLessThanOrEqual(5000);
    await untilPlayed(l.page, 1000, (x) => rms(x) > LOUD, 'the host again after the origin died', 30_000);

    // the listener's edge dies: the page asks for a ticket naming the other edge and resumes there
    const counts = await Promise.all(edges.map(audioListeners));
    const mine = edges[counts[0] !== undefined && counts[0] > 0 ? 0 : 1];
    if (mine === undefined) throw new Error('no edge holds the listener');
    const edgeKilledAt = Date.now();
    const edgeKilledPage = await l.page.evaluate(() => performance.now());
    await mine.kill();
    front.backends = front.backends.filter((b) => b !== `127.0.0.1:${new URL(mine.url).port}`);
    const other = edges.find((e) => e !== mine);
    if (other === undefined) throw new Error('no other edge');
    await expect.poll(() => audioListeners(other), { timeout: 30_000 }).toBe(1);
    await expect.poll(async () => (await gapAfter(edgeKilledPage)).last > edgeKilledPage + 1500, { timeout: 30_000 }).toBe(true);
    const edgeGap = await gapAfter(edgeKilledPage);
    await untilPlayed(l.page, 1000, (x) => rms(x) > LOUD, 'the host on the other edge', 30_000);
    const edgeBackMs = Date.now() - edgeKilledAt;

    expect(await l.page.evaluate(() => (window as unknown as { __mark?: number }).__mark)).toBe(42);
    process.stdout.write(`web app on a cluster: the page's audio socket was quiet ${originGap.gap.toFixed(0)} ms through the origin's death and ${edgeGap.gap.toFixed(0)} ms through its edge's (host heard ${edgeBackMs} ms after the edge kill)\n`);
  });
});
