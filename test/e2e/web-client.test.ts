/**
 * Browser scenario of the web client (phase 1: everything but audio), in real Chromium against the
 * real server: a host, a second account and a signed-out listener, each in their own context. Saves
 * the product screenshots to docs/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/amphi-server.ts';
import { buildWeb, launchChromium, openPerson, PHONE, realErrors, shot } from './browser.ts';

const PASSWORD = 'a good long password';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  buildWeb();
  server = await startTestServer({ autoTick: true });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});



/** controls a screen reader could not name: buttons and links without text or label, inputs without a label */
function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('button, a[href], input, textarea, select'))) {
      const named =
        (el.getAttribute('aria-label') ?? '').trim() !== '' ||
        (el.getAttribute('aria-labelledby') ?? '') !== '' ||
        ((el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) && (el.labels?.length ?? 0) > 0) ||
        (!(el instanceof HTMLInputElement) && (el.textContent ?? '').trim() !== '');
      if (!named) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  });
}

async function signUp(page: Page, handle: string, name: string): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Display name').fill(name);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('link', { name: `Your profile, ${name}` }).waitFor();
}

describe('web client in Chromium', () => {
  it('a host runs a room from backstage to the end while a listener and a speaker follow it live', async () => {
    const host = await openPerson(browser, server.url);
    const listener = await openPerson(browser, server.url);
    const guest = await openPerson(browser, server.url);
    const phone = await openPerson(browser, server.url, PHONE);

    // the host signs up and creates a room: it opens backstage
    await signUp(host.page, 'ada', 'Ada Lovelace');
    await host.page.getByRole('link', { name: 'Start a room' }).first().click();
    await host.page.getByLabel('Title').fill('Night shift: building audio rooms');
    for (const t of ['webrtc', 'opus']) {
      await host.page.getByLabel(/^Topics/).fill(t);
      await host.page.getByLabel(/^Topics/).press('Enter');
    }
    await host.page.getByLabel(/^Description/).fill('How one program stream reaches everyone. Questions welcome.');
    await host.page.getByRole('button', { name: 'Create room' }).click();
    await host.page.getByRole('heading', { name: "You're backstage" }).waitFor();
    const roomUrl = host.page.url();
    expect(roomUrl).toMatch(/\/rooms\/[A-Za-z0-9-]+$/);
    await host.page.getByText('1 of 1 on stage joined').waitFor();
    await shot(host.page, 'backstage');

    // a signed-out listener opening the link sees "Starting soon", then the room going live without a reload
    await listener.page.goto(roomUrl);
    await listener.page.getByRole('heading', { name: 'Starting soon' }).waitFor();
    await host.page.getByRole('button', { name: 'Go live' }).click();
    await host.page.locator('.pill-live').waitFor();
    await listener.page.locator('.pill-live').waitFor();
    await listener.page.getByRole('link', { name: /Ada Lovelace: Host/ }).waitFor();
    expect(await listener.page.getByRole('heading', { name: 'Starting soon' }).count()).toBe(0);
    await host.page.getByText('1 listening').waitFor();

    // home lists the live room with its host, topics and listener count
    await phone.page.goto('/');
    await phone.page.getByRole('link', { name: /Night shift: building audio rooms/ }).waitFor();
    await shot(phone.page, 'home-mobile');
    const home = await openPerson(browser, server.url);
    await home.page.goto('/');
    const card = home.page.getByRole('link', { name: /Night shift: building audio rooms\. Hosted by Ada Lovelace/ });
    await card.waitFor();
    expect(await card.textContent()).toContain('webrtc');
    await shot(home.page, 'home');
    await home.context.close();

    // a second account reacts (the host sees it float up) and raises a hand; the host approves
    await signUp(guest.page, 'grace', 'Grace Hopper');
    await guest.page.goto(roomUrl);
    await guest.page.getByRole('button', { name: 'React' }).click();
    await guest.page.getByRole('button', { name: 'React: fire' }).click();
    await host.page.locator('.bubble[data-reaction="🔥"]').first().waitFor();
    // by keyboard: the hand is a real button
    await guest.page.getByRole('button', { name: 'Raise hand' }).focus();
    await guest.page.keyboard.press('Enter');
    await guest.page.getByRole('button', { name: 'Lower hand' }).waitFor();
    await host.page.getByRole('button', { name: 'Approve Grace Hopper' }).waitFor();
    await shot(host.page, 'room-host-request');
    await host.page.getByRole('button', { name: 'Approve Grace Hopper' }).click();
    await listener.page.getByRole('link', { name: /Grace Hopper: muted/ }).waitFor();
    await guest.page.getByRole('button', { name: 'Unmute your microphone' }).click();
    await guest.page.getByRole('button', { name: 'Mute your microphone' }).waitFor();
    await listener.page.getByRole('link', { name: /Grace Hopper: unmuted/ }).waitFor();

    // the host pins a link and shares the room in one click
    await host.page.getByLabel('Link to pin').fill('https://example.com/show-notes');
    await host.page.getByRole('button', { name: 'Pin link' }).click();
    await listener.page.getByRole('link', { name: 'example.com/show-notes' }).waitFor();
    await host.page.getByRole('button', { name: 'Copy the room link' }).click();
    await host.page.getByRole('button', { name: 'Link copied' }).waitFor();
    expect(await host.page.evaluate(() => navigator.clipboard.readText())).toBe(roomUrl);

    // the listener on a phone sees the same live room
    await phone.page.goto(roomUrl);
    await phone.page.getByRole('link', { name: /Grace Hopper/ }).waitFor();
    for (const p of [phone, listener, guest, host]) await p.page.locator('.toast').first().waitFor({ state: 'detached' });
    await shot(phone.page, 'room-listener-mobile');
    await shot(listener.page, 'room-listener');
    await shot(guest.page, 'room-speaker');
    await shot(host.page, 'room-host');
    for (const p of [phone, listener, guest, host]) expect(await unlabelledControls(p.page)).toEqual([]);

    // the member menu is a dialog that Escape closes
    await host.page.getByRole('button', { name: /Grace Hopper: .*Open actions/ }).click();
    await host.page.getByRole('dialog').waitFor();
    await host.page.keyboard.press('Escape');
    await host.page.getByRole('dialog').waitFor({ state: 'detached' });

    // the host mutes the newcomer, who is told so
    await host.page.getByRole('button', { name: /Grace Hopper: .*Open actions/ }).click();
    await host.page.getByRole('dialog').getByRole('button', { name: 'Mute', exact: true }).click();
    await guest.page.getByText('You are muted by the host').waitFor();
    await guest.page.getByRole('button', { name: 'Unmute your microphone' }).waitFor();

    // the host removes the newcomer: they are told, and cannot come back
    await host.page.getByRole('button', { name: /Grace Hopper: .*Open actions/ }).click();
    await host.page.getByRole('dialog').getByRole('button', { name: 'Remove from room…' }).click();
    await host.page.getByRole('dialog').getByLabel(/Reason/).fill('Testing removal');
    await host.page.getByRole('dialog').getByRole('button', { name: 'Remove Grace Hopper' }).click();
    await guest.page.getByRole('heading', { name: 'You were removed from this room' }).waitFor();
    await listener.page.getByRole('link', { name: /Grace Hopper/ }).waitFor({ state: 'detached' });
    await guest.page.reload();
    await guest.page.getByRole('heading', { name: 'You were removed from this room' }).waitFor();
    await shot(guest.page, 'removed');

    // the host ends the room after confirming; the listener is told the room ended
    await host.page.getByRole('button', { name: 'End room' }).click();
    await host.page.getByRole('dialog').getByRole('button', { name: 'End room' }).click();
    await listener.page.getByRole('heading', { name: 'This room has ended' }).waitFor();
    await host.page.getByRole('heading', { name: 'This room has ended' }).waitFor();
    await shot(listener.page, 'ended');

    for (const p of [host, listener, guest, phone]) expect(realErrors(p.errors)).toEqual([]);
    for (const p of [host, listener, guest, phone]) await p.context.close();
  }, 180_000);

  it('people follow and block from a profile, invite a speaker, make a co-host and hand the room over', async () => {
    const host = await openPerson(browser, server.url);
    const guest = await openPerson(browser, server.url, PHONE);
    await signUp(guest.page, 'linus', 'Linus Pauling');
    await signUp(host.page, 'marie', 'Marie Curie');

    // profile: follow, unfollow, block with a confirmation, unblock
    await host.page.goto('/u/linus');
    await host.page.getByRole('heading', { name: 'Linus Pauling' }).waitFor();
    await host.page.getByRole('button', { name: 'Follow' }).click();
    await host.page.getByRole('button', { name: 'Unfollow Linus Pauling' }).waitFor();
    await host.page.getByText('1 followers').waitFor();
    await host.page.getByRole('button', { name: 'Unfollow Linus Pauling' }).click();
    await host.page.getByRole('button', { name: 'Follow' }).waitFor();
    await host.page.getByRole('button', { name: 'Block' }).click();
    await host.page.getByRole('dialog').getByRole('button', { name: 'Block' }).click();
    await host.page.getByRole('button', { name: 'Unblock' }).waitFor();
    await host.page.getByRole('button', { name: 'Unblock' }).click();
    await host.page.getByRole('button', { name: 'Block' }).waitFor();

    // sign out and back in
    await host.page.getByRole('button', { name: 'Sign out' }).click();
    await host.page.getByRole('link', { name: 'Sign in' }).click();
    await host.page.getByLabel('Handle').fill('marie');
    await host.page.getByLabel('Password').fill('not the password');
    await host.page.getByRole('button', { name: 'Sign in' }).click();
    await host.page.getByText('That handle and password do not match.').waitFor();
    await host.page.getByLabel('Password').fill(PASSWORD);
    await host.page.getByRole('button', { name: 'Sign in' }).click();
    await host.page.getByRole('link', { name: 'Your profile, Marie Curie' }).waitFor();

    // an invite-only room: the guest has no hand to raise, the host invites them by handle
    await host.page.goto('/new');
    await host.page.getByLabel('Title').fill('Invite only');
    await host.page.getByLabel('Only people you invite').check();
    await host.page.getByRole('button', { name: 'Create room' }).click();
    await host.page.getByRole('button', { name: 'Go live' }).click();
    await host.page.locator('.pill-live').waitFor();
    await guest.page.goto(host.page.url());
    await guest.page.locator('.pill-live').waitFor();
    expect(await guest.page.getByRole('button', { name: 'Raise hand' }).count()).toBe(0);
    await host.page.getByLabel('Handle of the person to invite').fill('@linus');
    await host.page.getByRole('button', { name: 'Invite to speak' }).click();
    await guest.page.getByRole('heading', { name: "You're invited to speak" }).waitFor();
    await shot(guest.page, 'invited-mobile');
    await guest.page.getByRole('button', { name: 'Accept' }).click();
    await guest.page.getByRole('button', { name: 'Unmute your microphone' }).waitFor();

    // co-host, then host: the old host becomes a co-host and loses "End room"
    await host.page.getByRole('button', { name: /Linus Pauling: .*Open actions/ }).click();
    await host.page.getByRole('dialog').getByRole('button', { name: 'Make co-host' }).click();
    await guest.page.getByRole('heading', { name: /Requests to speak/ }).waitFor();
    await host.page.getByRole('button', { name: /Linus Pauling: Co-host.*Open actions/ }).click();
    await host.page.getByRole('dialog').getByRole('button', { name: 'Hand over host…' }).click();
    await host.page.getByRole('dialog').getByRole('button', { name: 'Hand over host' }).click();
    await guest.page.getByRole('button', { name: 'End room' }).waitFor();
    await host.page.getByRole('button', { name: 'Leave stage' }).waitFor();
    expect(await host.page.getByRole('button', { name: 'End room' }).count()).toBe(0);
    // the stage itself follows on the next tick's state
    await guest.page.getByRole('button', { name: /Marie Curie: Co-host/ }).waitFor();
    await shot(guest.page, 'room-host-mobile');

    // the new host ends it; the old host is told
    await guest.page.getByRole('button', { name: 'End room' }).click();
    await guest.page.getByRole('dialog').getByRole('button', { name: 'End room' }).click();
    await host.page.getByRole('heading', { name: 'This room has ended' }).waitFor();

    for (const p of [host, guest]) expect(realErrors(p.errors)).toEqual([]);
    for (const p of [host, guest]) await p.context.close();
  }, 120_000);

  it('a wrong address and an unknown room are explained in words, never a blank page', async () => {
    const p = await openPerson(browser, server.url);
    await p.page.goto('/no/such/page');
    await p.page.getByRole('heading', { name: 'There is nothing at this address' }).waitFor();
    await p.page.goto('/rooms/does-not-exist');
    await p.page.getByRole('heading', { name: 'This room does not exist. The link may be wrong.' }).waitFor();
    const api = await p.page.request.get('/api/nothing-here');
    expect(api.status()).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: 'not_found' } });
    await p.context.close();
  }, 60_000);
});
