/**
 * Browser scenario of scheduled rooms and go-live notices, in real Chromium against the real server
 * (its own clock running, fan-out at the default pace): a host in New York schedules a room; a follower
 * in Tokyo sees it on home at their own time and sets a reminder; the host starts it early and goes
 * live, watching "notified X of Y"; the follower's open page shows "<host> is live" and one click on
 * "Listen" opens the live room. Product screenshots go to docs/screenshots/ only with AMPHI_SCREENSHOTS=docs.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatStart } from '../../web/src/notify/start-time.ts';
import { startTestServer, type TestServer } from '../support/amphi-server.ts';
import { buildWeb, DESKTOP, launchChromium, realErrors, shot } from './browser.ts';

const PASSWORD = 'a good long password';
const TITLE = 'Launch night: ask me anything';

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


/** a person with their own context on their own clock, so each sees times in their own zone */
async function person(timezoneId: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ ...DESKTOP, baseURL: server.url, timezoneId, locale: 'en-US' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { context, page, errors };
}

async function signUp(page: Page, handle: string, name: string): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Display name').fill(name);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('link', { name: `Your profile, ${name}` }).waitFor();
}

/** a day ahead on New York's calendar, as a datetime-local value at the given wall-clock time */
function inNewYork(daysAhead: number, time: string): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + daysAhead * 86_400_000));
  return `${day}T${time}`;
}
const tomorrowEveningInNewYork = () => inNewYork(1, '18:30');

interface Listed { rooms: { room: { id: string; schedule: { startsAt: number; timeZone: string } } }[] }
const scheduledOf = async (handle: string) => ((await (await fetch(`${server.url}/api/scheduled-rooms?host=${handle}`)).json()) as Listed).rooms;

describe('scheduled rooms and go-live notices in Chromium', () => {
  it('a follower sees a scheduled room at their own time, sets a reminder, and joins the live room from the toast with one click', async () => {
    const host = await person('America/New_York');
    const fan = await person('Asia/Tokyo');

    await signUp(host.page, 'ada', 'Ada Lovelace');
    await signUp(fan.page, 'grace', 'Grace Hopper');
    await fan.page.goto('/u/ada');
    await fan.page.getByRole('button', { name: 'Follow' }).click();
    await fan.page.getByRole('button', { name: 'Unfollow Ada Lovelace' }).waitFor();

    // the host schedules the room for tomorrow evening on their own clock
    await host.page.getByRole('link', { name: 'Start a room' }).first().click();
    await host.page.getByLabel('Title').fill(TITLE);
    await host.page.getByLabel(/^Topics/).fill('launch');
    await host.page.getByLabel(/^Topics/).press('Enter');
    await host.page.getByLabel(/^Description/).fill('Bring your questions about the launch.');
    await host.page.getByLabel('Schedule for later').check();
    await host.page.getByLabel('Starts at').fill(tomorrowEveningInNewYork());
    await host.page.getByRole('button', { name: 'Schedule room' }).click();
    await host.page.waitForURL('**/u/ada');
    const hostCard = host.page.getByRole('listitem', { name: new RegExp(TITLE) });
    await hostCard.waitFor();
    // the host reads it on their own clock, whatever the season (EST or EDT)
    expect(await hostCard.textContent()).toMatch(/6:30 PM E[SD]T/);

    const scheduled = (await scheduledOf('ada'))[0]?.room;
    expect(scheduled?.schedule.timeZone).toBe('America/New_York');
    const startsAt = scheduled?.schedule.startsAt ?? 0;
    const roomId = scheduled?.id ?? '';

    // the follower in Tokyo finds it on home, at Tokyo's time, and sets a reminder
    await fan.page.goto('/');
    await fan.page.locator('.bell[data-channel="open"]').waitFor();
    const fanCard = fan.page.getByRole('listitem', { name: new RegExp(TITLE) });
    await fanCard.waitFor();
    const tokyoTime = formatStart(startsAt, { timeZone: 'Asia/Tokyo', locale: 'en-US' });
    expect(tokyoTime).toContain('GMT+9');
    expect(await fanCard.textContent()).toContain(tokyoTime);
    await shot(fan.page, 'scheduled-room');
    await fanCard.getByRole('button', { name: 'Set reminder' }).click();
    const reminder = fanCard.getByRole('button', { name: 'Reminder set' });
    await reminder.waitFor();
    expect(await reminder.getAttribute('aria-pressed')).toBe('true');
    await fanCard.getByText('1 reminder').waitFor();
    await shot(fan.page, 'reminder-set');

    // the host starts early (backstage), goes live, and watches the notices go out
    await host.page.reload();
    await host.page.getByRole('listitem', { name: new RegExp(TITLE) }).getByText('1 reminder').waitFor();
    await host.page.getByRole('button', { name: 'Start now' }).click();
    await host.page.waitForURL(`**/rooms/${roomId}`);
    await host.page.getByRole('heading', { name: "You're backstage" }).waitFor();
    await host.page.getByRole('button', { name: 'Go live' }).click();
    await host.page.locator('.pill-live').waitFor();
    await host.page.getByText(/notified 1 of 1 followers/i).waitFor();
    await shot(host.page, 'go-live-notified');

    // the follower, still on home, is told at once and joins with one click
    const toast = fan.page.locator('.toast-action', { hasText: `Ada Lovelace is live: ${TITLE}` });
    await toast.waitFor();
    await fan.page.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor();
    // home takes the notice as its cue: the room moves from "coming up" to the live list at once
    await fan.page.getByRole('link', { name: new RegExp(`${TITLE}\\. Hosted by Ada Lovelace`) }).waitFor();
    await fanCard.waitFor({ state: 'detached' });
    await shot(fan.page, 'live-now-toast');
    await toast.getByRole('link', { name: 'Listen' }).click();
    await fan.page.waitForURL(`**/rooms/${roomId}`);
    await fan.page.locator('.pill-live').waitFor();
    await fan.page.getByRole('link', { name: /Ada Lovelace: Host/ }).waitFor();
    expect(await toast.count()).toBe(0);

    // the bell lists the notice; opening it marks it read
    await fan.page.getByRole('button', { name: 'Notifications, 1 unread' }).click();
    await fan.page.getByRole('region', { name: 'Notifications' }).getByRole('link', { name: `Ada Lovelace is live: ${TITLE}` }).waitFor();
    await fan.page.getByRole('button', { name: 'Notifications', exact: true }).waitFor();

    for (const p of [host, fan]) expect(realErrors(p.errors)).toEqual([]);
    await host.context.close();
    await fan.context.close();
  });

  it('the host moves the time and then cancels; the reminder holder sees the new time in their zone, then is told at once', async () => {
    const host = await person('America/New_York');
    const fan = await person('Europe/Paris');
    await signUp(host.page, 'lin', 'Lin Wu');
    await signUp(fan.page, 'sam', 'Sam Okafor');

    await host.page.goto('/new');
    await host.page.getByLabel('Title').fill('Office hours');
    await host.page.getByLabel('Schedule for later').check();
    await host.page.getByLabel('Starts at').fill(tomorrowEveningInNewYork());
    await host.page.getByRole('button', { name: 'Schedule room' }).click();
    const hostCard = host.page.getByRole('listitem', { name: /Office hours/ });
    await hostCard.waitFor();

    // someone who does not follow the host sets a reminder from the host's profile
    await fan.page.goto('/u/lin');
    await fan.page.locator('.bell[data-channel="open"]').waitFor();
    const fanCard = fan.page.getByRole('listitem', { name: /Office hours/ });
    await fanCard.getByRole('button', { name: 'Set reminder' }).click();
    await fanCard.getByRole('button', { name: 'Reminder set' }).waitFor();

    // the host moves it to 9:00 two days ahead on their own clock
    await hostCard.getByRole('button', { name: 'Edit time' }).click();
    await hostCard.getByLabel('New start time').fill(inNewYork(2, '09:00'));
    await hostCard.getByRole('button', { name: 'Save' }).click();
    await hostCard.getByText(/9:00 AM E[SD]T/).waitFor();
    const moved = (await scheduledOf('lin'))[0]?.room.schedule.startsAt ?? 0;
    await fan.page.reload();
    await fanCard.getByText(formatStart(moved, { timeZone: 'Europe/Paris', locale: 'en-US' })).waitFor();
    expect(formatStart(moved, { timeZone: 'Europe/Paris', locale: 'en-US' })).toMatch(/[23]:00 PM GMT\+[12]/);
    await fan.page.locator('.bell[data-channel="open"]').waitFor();

    // the host cancels; the reminder holder's open page says so and drops the room
    await hostCard.getByRole('button', { name: 'Cancel room' }).click();
    await host.page.getByRole('dialog').getByRole('button', { name: 'Cancel room' }).click();
    await hostCard.waitFor({ state: 'detached' });
    await fan.page.getByText('Cancelled: Office hours').waitFor();
    await fanCard.waitFor({ state: 'detached' });
    await fan.page.getByRole('button', { name: 'Notifications, 1 unread' }).click();
    await fan.page.getByRole('region', { name: 'Notifications' }).getByText('Lin Wu cancelled “Office hours”').waitFor();
    expect(await scheduledOf('lin')).toEqual([]);

    for (const p of [host, fan]) expect(realErrors(p.errors)).toEqual([]);
    await host.context.close();
    await fan.context.close();
  });
});
