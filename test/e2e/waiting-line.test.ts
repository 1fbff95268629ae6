/**
 * The waiting line as a person meets it, in real Chromium against the real server: the node is full,
 * a signed-out listener opens the room and taps listen; the page says "You're #1 in line (about N s)"
 * and shows no error; a place frees and the page lets itself in and plays, without a reload or a tap.
 * Signed out, the page joins directly (`/ws/listen?room=`, told by index.html where): the place in line
 * arrives on that same socket and the server moves it into the stream — no ticket request, no polling.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ApiClient, startTestServer, type TestServer } from '../support/amphi-server.ts';
import { ProgramListener } from '../support/program-listener.ts';
import { AUTOPLAY_RULE, realErrors } from './audio-helpers.ts';
import { buildWeb, launchChromium, openPerson, shot } from './browser.ts';

let server: TestServer;
let browser: Browser;
let roomId: string;
const held: ProgramListener[] = [];

beforeAll(async () => {
  buildWeb();
  server = await startTestServer({ autoTick: true, env: { AMPHI_MAX_LISTENERS: '2', AMPHI_JOIN_RATE: '1000' } });
  const host = new ApiClient(server.url);
  await host.signUp('busy_host');
  roomId = (await host.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'A full house' })).body.room.id;
  await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'goLive' });
  for (let i = 0; i < 2; i++) held.push(await ProgramListener.open(server.url, roomId, null));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const l of held) l.close();
  await browser?.close();
  await server?.dispose();
});

describe('the waiting line in the browser', () => {
  it('shows the place in line, never an error, and lets the listener in by itself when a place frees', async () => {
    await expect.poll(async () => (await fetch(`${server.url}/metrics`).then((r) => r.text())).match(/^amphi_audio_listeners (\d+)/m)?.[1]).toBe('2');
    const p = await openPerson(browser, server.url);
    await p.context.addInitScript(AUTOPLAY_RULE);
    const sockets: URL[] = [];
    const tickets: string[] = [];
    p.page.on('websocket', (ws) => sockets.push(new URL(ws.url())));
    p.page.on('request', (r) => {
      if (/\/api\/rooms\/[^/]+\/listen/.test(new URL(r.url()).pathname)) tickets.push(r.url());
    });
    await p.page.goto(`/rooms/${roomId}`);
    await p.page.getByRole('button', { name: 'Tap to listen' }).click();
    const place = p.page.getByText(/You're #1 in line \(about \d+ s\)/);
    await place.waitFor({ timeout: 15_000 });
    await shot(p.page, 'waiting-line');
    // nothing that reads as an error: every alert region is empty
    expect(await p.page.getByRole('alert').filter({ hasText: /\S/ }).count()).toBe(0);
    held.shift()?.close();
    await p.page.getByText('Listening live').waitFor({ timeout: 15_000 });
    const audio = sockets.filter((u) => u.pathname === '/ws/listen');
    expect(audio.map((u) => u.searchParams.get('room'))).toEqual([roomId]);
    expect(audio[0]?.port).toBe(String(server.listenPort));
    expect(tickets).toEqual([]);
    expect(realErrors(p.errors)).toEqual([]);
    await p.context.close();
  }, 60_000);
});
