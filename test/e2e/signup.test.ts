/**
 * The sign-up journey in headless Chromium, by keyboard only (Tab, Space, typing), with an axe-core
 * WCAG 2.2 AA check of every page: form, errors, check your email, confirm, confirmed, unsubscribe,
 * unsubscribed, the bad-link page and the footer's privacy, accessibility and contact pages. With
 * PAGES_SCREENSHOT_DIR set, each page is also captured at desktop and 375 px widths.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SENDER_EMAIL } from '../../local/stack';
import { launchChromium, skipWithoutChromium } from '../support/browser';
import { approveOverHttp } from '../support/campaigns';
import { bootLocalStack } from '../support/local-stack';
import { emailsTo, header, linkIn, postJson, sesMark } from '../support/subscriptions';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];

const expectNoAxeViolations = async (page: Page, what: string) => {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`,
  );
  expect(summary, what).toEqual([]);
};

/** Presses Tab until the element matching `selector` has focus (keyboard only: no clicks). */
const tabTo = async (page: Page, selector: string, maxPresses = 40) => {
  for (let i = 0; i < maxPresses; i++) {
    if (
      await page
        .locator(selector)
        .evaluate((el) => el === document.activeElement)
        .catch(() => false)
    )
      return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Could not reach ${selector} with Tab`);
};

/** Presses Space on the focused submit button and waits for the page the form post returns. */
const submitWithSpace = async (page: Page) => {
  await Promise.all([page.waitForEvent('load'), page.keyboard.press('Space')]);
};

const focusedMatches = (page: Page, selector: string) =>
  page.locator(selector).evaluate((el) => el === document.activeElement);

const ORGANISER = {
  name: 'Anytown Borough Council',
  email: 'elections@anytown.example',
  phone: '01234 567890',
  website: 'https://www.anytown.example',
};

const SCREENSHOT_DIR = process.env.PAGES_SCREENSHOT_DIR;
const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'mobile', width: 375, height: 800 },
];

/** Full-page captures at each width, for a person to look at (only with PAGES_SCREENSHOT_DIR). */
const screenshot = async (page: Page, name: string) => {
  if (!SCREENSHOT_DIR) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const before = page.viewportSize();
  for (const size of WIDTHS) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${size.name}.png`), fullPage: true });
  }
  if (before) await page.setViewportSize(before);
};

const mainText = async (page: Page) =>
  ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');

describe.skipIf(skipWithoutChromium())('sign-up in Chromium, keyboard only', () => {
  let local: Awaited<ReturnType<typeof bootLocalStack>>;
  let browser: Browser;
  let page: Page;
  let api: string;
  const cspViolations: string[] = [];

  let campaignId: string;

  beforeAll(async () => {
    local = await bootLocalStack();
    api = local.stack.apiUrl;
    // Before the campaign's first reminder, so every step is still to come.
    expect((await postJson(`${api}/local/clock`, { now: '2027-03-01T12:00:00Z' })).status).toBe(200);
    const created = await fetch(`${api}/admin/campaigns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${local.stack.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Test borough election',
        pollDate: '2027-05-06',
        nation: 'england',
        organiser: ORGANISER,
      }),
    });
    expect(created.status).toBe(201);
    campaignId = ((await created.json()) as { id: string }).id;
    // A second admin approves the draft: only then is it offered on the sign-up page.
    expect((await approveOverHttp(api, local.stack.adminToken, campaignId)).status).toBe(200);
    browser = await launchChromium();
    // JavaScript stays on for axe-core (it runs in the page); the pages themselves carry no script,
    // and the CSP (script-src 'none') would block any.
    page = await (await browser.newContext()).newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await local?.stop();
  });

  it('signs up, corrects an error, confirms and unsubscribes, every page accessible', async () => {
    const mark = await sesMark(local.stack.sesEndpoint);

    // The form.
    await page.goto(`${api}/`);
    expect(await page.title()).toBe('Get election security reminders - Election security reminders');
    await expectNoAxeViolations(page, 'sign-up form');
    await screenshot(page, 'signup');

    // Bad input: a broken address, nothing else. Submit with Space on the button.
    await tabTo(page, '#email');
    await page.keyboard.type('not-an-email');
    await tabTo(page, 'form button[type="submit"]');
    await submitWithSpace(page);
    expect(await page.title()).toMatch(/^Error: /);
    // Focus moves to the error summary, without JavaScript.
    expect(await focusedMatches(page, '.govuk-error-summary')).toBe(true);
    const errorLinks = await page.locator('.govuk-error-summary a').allTextContents();
    expect(errorLinks.map((t) => t.trim())).toEqual([
      'Enter an email address in the correct format, like name@example.com',
      'Select your role in the election',
      'Select the election you want reminders for',
      'Select the box to agree to us keeping and using your details',
    ]);
    await expectNoAxeViolations(page, 'sign-up form with errors');
    await screenshot(page, 'signup-errors');

    // Correct it, by keyboard.
    await tabTo(page, '#email');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Keyboard.User+elections@example.org');
    await tabTo(page, '#name');
    await page.keyboard.type('Kay Board');
    await tabTo(page, '#role');
    await page.keyboard.press('Space');
    await tabTo(page, '#campaignId');
    await page.keyboard.press('Space');
    await tabTo(page, '#consent');
    await page.keyboard.press('Space');
    expect(await page.locator('#role').isChecked()).toBe(true);
    expect(await page.locator('#consent').isChecked()).toBe(true);
    await tabTo(page, 'form button[type="submit"]');
    await submitWithSpace(page);
    expect(await page.locator('h1').textContent()).toContain('Check your email');
    // The address as typed (their own screen), and what to look for: the sender and the subject.
    const checkEmail = await mainText(page);
    expect(checkEmail).toContain('If Keyboard.User+elections@example.org can receive reminders');
    expect(checkEmail).toContain(
      `Anytown Borough Council election security reminders <${LOCAL_SENDER_EMAIL}>`,
    );
    expect(checkEmail).toContain('Confirm you want election security reminders');
    expect(checkEmail).toMatch(/spam or junk folder/);
    expect(checkEmail).toMatch(/at most 3 confirmation emails a day/);
    await expectNoAxeViolations(page, 'check your email');
    await screenshot(page, 'check-email');

    // Confirm from the emailed link: the page names the election and the role, the address masked.
    await local.stack.emulator.drain();
    const address = 'keyboard.user+elections@example.org';
    const [confirmation] = await emailsTo(local.stack.sesEndpoint, address, mark);
    expect(confirmation?.subject).toBe('Confirm you want election security reminders');
    await page.goto(linkIn(confirmation as NonNullable<typeof confirmation>, '/subscriptions/confirm'));
    expect(await page.locator('h1').textContent()).toContain('Confirm your sign-up');
    const confirm = await mainText(page);
    expect(confirm).toContain('Test borough election');
    expect(confirm).toContain('a candidate');
    expect(confirm).toContain('k•••@example.org');
    expect(confirm).not.toMatch(/keyboard|elections@/i);
    await expectNoAxeViolations(page, 'confirm');
    await screenshot(page, 'confirm');
    await tabTo(page, 'form button[type="submit"]');
    await submitWithSpace(page);
    expect(await page.locator('h1').textContent()).toContain('You are signed up');
    const confirmed = await mainText(page);
    expect(confirmed).toContain('You signed up as a candidate');
    expect(confirmed).toContain('What happens next');
    // The candidate's reminders still to come, with dates, and the timetable's key dates.
    const reminderRows = page.locator('table').first().locator('tbody tr');
    expect(await reminderRows.count()).toBeGreaterThan(3);
    expect(await reminderRows.first().locator('th').textContent()).toMatch(/^\s*\w+day \d{1,2} \w+ 2027\s*$/);
    expect(confirmed).toContain('Nominations close');
    expect(confirmed).toContain('Polling day');
    expect(confirmed).toContain('Thursday 6 May 2027');
    const calendarHref = await page.locator('a[href*="timeline.ics"]').getAttribute('href');
    expect(calendarHref).toBe(`/campaigns/${campaignId}/timeline.ics?role=candidate`);
    const ics = await fetch(`${api}${calendarHref}`);
    expect(ics.status).toBe(200);
    expect(await ics.text()).toContain('BEGIN:VEVENT');
    await expectNoAxeViolations(page, 'confirmed');
    await screenshot(page, 'confirmed');

    // Unsubscribe from the welcome email's link.
    const welcome = (await emailsTo(local.stack.sesEndpoint, address, mark)).find((m) =>
      m.subject.startsWith('You are signed up'),
    );
    const unsubscribeUrl = (header(welcome as NonNullable<typeof welcome>, 'List-Unsubscribe') ?? '').slice(
      1,
      -1,
    );
    await page.goto(unsubscribeUrl);
    expect(await page.locator('h1').textContent()).toContain('Stop getting reminders');
    expect(await mainText(page)).toContain('You are getting reminders for Test borough election.');
    await expectNoAxeViolations(page, 'unsubscribe');
    await screenshot(page, 'unsubscribe');
    await tabTo(page, 'button:has-text("Unsubscribe from this election")');
    await submitWithSpace(page);
    expect(await page.locator('h1').textContent()).toContain('You have unsubscribed');
    await expectNoAxeViolations(page, 'unsubscribed');
    await screenshot(page, 'unsubscribed');

    // A bad link.
    const response = await page.goto(`${api}/subscriptions/confirm?token=v1.broken.link`);
    expect(response?.status()).toBe(400);
    expect(await page.locator('h1').textContent()).toContain('This link does not work');
    await expectNoAxeViolations(page, 'bad link');
    await screenshot(page, 'bad-link');

    expect(cspViolations).toEqual([]);
  });

  it('links every page to the privacy notice, accessibility statement and contact page, each accessible', async () => {
    await page.goto(`${api}/`);
    const footerLinks = await page
      .locator('footer a')
      .evaluateAll((links) => links.map((link) => [link.textContent?.trim(), link.getAttribute('href')]));
    expect(footerLinks).toEqual([
      ['Privacy', '/privacy'],
      ['Accessibility statement', '/accessibility'],
      ['Contact', '/contact'],
    ]);

    await page.goto(`${api}/privacy`);
    expect(await page.title()).toBe('Privacy notice - Election security reminders');
    const privacy = await mainText(page);
    expect(privacy).toContain('Test borough election: Anytown Borough Council');
    expect(privacy).toContain('Article 6(1)(e)');
    expect(privacy).toMatch(/within 7 days/);
    expect(privacy).toMatch(/until 30 days after polling day/);
    expect(privacy).toContain("Information Commissioner's Office");
    await expectNoAxeViolations(page, 'privacy');
    await screenshot(page, 'privacy');

    await page.goto(`${api}/accessibility`);
    const accessibility = await mainText(page);
    expect(accessibility).toContain('WCAG) version 2.2 AA');
    expect(accessibility).toContain('axe');
    expect(accessibility).toContain('Known issues');
    expect(accessibility).toContain('Enforcement procedure');
    await expectNoAxeViolations(page, 'accessibility');
    await screenshot(page, 'accessibility');

    await page.goto(`${api}/contact`);
    const contact = await mainText(page);
    expect(contact).toContain('Run by Anytown Borough Council');
    expect(await page.locator('a[href="mailto:elections@anytown.example"]').count()).toBe(1);
    expect(await page.locator('a[href="tel:01234567890"]').textContent()).toBe('01234 567890');
    expect(await page.locator('a[href="https://www.anytown.example"]').textContent()).toBe(
      'www.anytown.example',
    );
    expect(contact).toContain('call 999');
    expect(contact).toContain('call the police on 101');
    await expectNoAxeViolations(page, 'contact');
    await screenshot(page, 'contact');

    for (const path of ['/privacy', '/accessibility', '/contact']) {
      const head = await fetch(`${api}${path}`, { method: 'HEAD' });
      expect(head.status, path).toBe(200);
      expect(head.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      expect(await head.text(), path).toBe('');
    }
    expect(cspViolations).toEqual([]);
  });

  it('shows the GOV.UK styles from our own origin under the CSP, in a system font stack', async () => {
    const fontRequests: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'font') fontRequests.push(request.url());
    });
    await page.goto(`${api}/`);

    const fonts = await page
      .locator('h1, .govuk-body, .govuk-label, form button[type="submit"], .govuk-footer')
      .evaluateAll((els) => els.map((el) => getComputedStyle(el).fontFamily));
    const buttonColour = await page
      .locator('form button[type="submit"]')
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(fonts.length).toBeGreaterThan(4);
    for (const font of fonts) {
      expect(font).not.toContain('GDS Transport');
      expect(font).toMatch(/^system-ui,/);
    }
    expect(fontRequests).toEqual([]);
    // The Design System's sizes stay: a large heading is still 32px or more on desktop.
    const headingSize = await page
      .locator('h1')
      .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    expect(headingSize).toBeGreaterThanOrEqual(32);
    expect(buttonColour).not.toBe('rgba(0, 0, 0, 0)');
    expect((await fetch(`${api}/assets/fonts/bold-b542beb274-v2.woff2`)).status).toBe(404);
    expect(cspViolations).toEqual([]);
  });
});
