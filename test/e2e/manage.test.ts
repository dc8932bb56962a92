/**
 * "Manage your reminders" in headless Chromium: opened from the welcome email's link, every state
 * checked with axe-core (WCAG 2.2 AA): the page, a change made by keyboard, a refused change, what
 * is held, the delete confirmation, deleted, and a bad link. No request leaves the site (the token
 * is in the URL), and the pages run no script. With PAGES_SCREENSHOT_DIR set, each is captured at
 * desktop and 375 px widths.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, skipWithoutChromium } from '../support/browser';
import { approveOverHttp } from '../support/campaigns';
import { bootLocalStack } from '../support/local-stack';
import { emailsTo, linkIn, postForm, postJson, type StoredEmail, sesMark } from '../support/subscriptions';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];
const SCREENSHOT_DIR = process.env.PAGES_SCREENSHOT_DIR;
const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'mobile', width: 375, height: 800 },
];

const expectNoAxeViolations = async (page: Page, what: string) => {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`),
    what,
  ).toEqual([]);
};

/** Checks a page at both widths with axe (the mobile layout is a page of its own), and captures it. */
const check = async (page: Page, name: string) => {
  const before = page.viewportSize();
  for (const size of WIDTHS) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await expectNoAxeViolations(page, `${name} at ${size.width}px`);
    // Nothing wider than the screen at 375 px: a long reference or name wraps.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${name} at ${size.width}px scrolls sideways`).toBeLessThanOrEqual(0);
    if (SCREENSHOT_DIR) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${size.name}.png`), fullPage: true });
    }
  }
  if (before) await page.setViewportSize(before);
};

const tabTo = async (page: Page, selector: string, maxPresses = 80) => {
  for (let i = 0; i < maxPresses; i++) {
    if (
      await page
        .locator(selector)
        .first()
        .evaluate((el) => el === document.activeElement)
        .catch(() => false)
    )
      return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Could not reach ${selector} with Tab`);
};
const submitWithSpace = async (page: Page) => {
  await Promise.all([page.waitForEvent('load'), page.keyboard.press('Space')]);
};
const mainText = async (page: Page) =>
  ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');

describe.skipIf(skipWithoutChromium())('manage your reminders in Chromium', () => {
  let local: Awaited<ReturnType<typeof bootLocalStack>>;
  let browser: Browser;
  let page: Page;
  let api: string;
  const offSite: string[] = [];
  const cspViolations: string[] = [];

  const createCampaign = async (name: string) => {
    const created = await fetch(`${api}/admin/campaigns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${local.stack.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name,
        pollDate: '2027-05-06',
        nation: 'england',
        organiser: { name: 'Anytown Borough Council', email: 'elections@anytown.example' },
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    // A new campaign is a draft until a second admin approves it.
    expect((await approveOverHttp(api, local.stack.adminToken, id)).status).toBe(200);
    return id;
  };

  beforeAll(async () => {
    local = await bootLocalStack();
    api = local.stack.apiUrl;
    expect((await postJson(`${api}/local/clock`, { now: '2027-03-01T12:00:00Z' })).status).toBe(200);
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    page.on('request', (request) => {
      if (!request.url().startsWith(api)) offSite.push(request.url());
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await local?.stop();
  });

  it('changes, joins, shows and deletes, every state accessible at desktop and 375 px', async () => {
    const first = await createCampaign('Anytown borough election');
    await createCampaign('Anytown mayoral election');
    const address = 'alex.longname-hyphenated+reminders@example.org';
    const mark = await sesMark(local.stack.sesEndpoint);
    await postJson(`${api}/subscriptions`, {
      email: address,
      name: 'Alexandra Featherstonehaugh-Smythe',
      role: 'candidate',
      campaignId: first,
      consent: true,
    });
    await local.stack.emulator.drain();
    const [confirmation] = await emailsTo(local.stack.sesEndpoint, address, mark);
    const confirmToken = new URL(
      linkIn(confirmation as StoredEmail, '/subscriptions/confirm'),
    ).searchParams.get('token');
    expect((await postForm(`${api}/subscriptions/confirm`, { token: String(confirmToken) })).status).toBe(
      200,
    );
    await local.stack.emulator.drain();
    const welcome = (await emailsTo(local.stack.sesEndpoint, address, mark)).find((m) =>
      m.subject.startsWith('You are signed up'),
    );
    const manageUrl = linkIn(welcome as StoredEmail, '/manage');

    // The page, from the email.
    const opened = await page.goto(manageUrl);
    expect(opened?.status()).toBe(200);
    expect(opened?.headers()['x-robots-tag']).toBe('noindex, nofollow, noarchive');
    expect(opened?.headers()['referrer-policy']).toBe('no-referrer');
    expect(await page.title()).toBe('Manage your reminders - Election security reminders');
    expect(await mainText(page)).toContain('a•••@example.org');
    await check(page, 'manage');

    // A new role, by keyboard only: into the first election's radios (at the checked one), the arrow
    // to the next role (agent), then its button.
    await tabTo(page, '#role-1');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#role-1-2').isChecked()).toBe(true);
    await tabTo(page, 'button:has-text("Change role")');
    await submitWithSpace(page);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
      'Your role has been changed.',
    );
    expect(await page.locator('#role-1-2').isChecked()).toBe(true);
    await check(page, 'manage-changed');

    // Join the other election.
    await tabTo(page, 'button:has-text("Get these reminders")');
    await submitWithSpace(page);
    expect(await mainText(page)).toContain('You will get reminders for that election.');
    expect(await page.locator('.govuk-summary-card').count()).toBe(2);
    expect(await page.locator('button:has-text("Leave every election")').count()).toBe(1);
    await check(page, 'manage-joined');

    // A refused change (a hand-made post for an election the address is not in): the error summary.
    await page.evaluate(() => {
      const form = document.querySelector('form[action="/manage"]') as HTMLFormElement;
      (form.querySelector('input[name="campaignId"]') as HTMLInputElement).value = 'not-an-election';
      form.submit();
    });
    await page.waitForLoadState('load');
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'You are not getting reminders for that election',
    );
    await check(page, 'manage-error');

    // What is held.
    await page.goto(manageUrl);
    await tabTo(page, 'a:has-text("See what we hold about you")');
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').textContent()).toContain('What we hold about you');
    const held = await mainText(page);
    expect(held).toContain(address);
    expect(held).toContain('Alexandra Featherstonehaugh-Smythe');
    expect(held).toContain('Role changed');
    await check(page, 'manage-data');

    // Delete: the confirmation step, then deleted.
    await page.goto(manageUrl);
    await tabTo(page, 'a:has-text("Delete your details")');
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').textContent()).toContain('Delete your details');
    await check(page, 'manage-delete');
    await tabTo(page, 'button:has-text("Delete my details")');
    await submitWithSpace(page);
    expect(await page.locator('h1').textContent()).toContain('Your details have been deleted');
    await check(page, 'manage-deleted');

    // The link from the email now shows nothing held.
    await page.goto(manageUrl);
    expect(await mainText(page)).toContain('We do not hold any reminders for this email address.');
    await check(page, 'manage-empty');

    // A broken manage link.
    const bad = await page.goto(`${api}/manage?token=v1.broken.link`);
    expect(bad?.status()).toBe(400);
    expect(await mainText(page)).toContain('Manage your reminders');
    await check(page, 'manage-bad-link');

    expect(offSite).toEqual([]);
    expect(cspViolations).toEqual([]);
    // Nine states, each checked by axe at two widths: about a minute alone, more beside other tests.
  }, 240_000);
});
