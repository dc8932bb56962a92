/**
 * The sign-up journey in headless Chromium, by keyboard only (Tab, Space, typing), with an axe-core
 * WCAG 2.2 AA check of every page: form, errors, check your email, confirm, confirmed, unsubscribe,
 * unsubscribed and the bad-link page.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_TABLE_NAME } from '../../local/stack';
import { launchChromium, skipWithoutChromium } from '../support/browser';
import { bootLocalStack } from '../support/local-stack';
import { emailsTo, header, linkIn, seedCampaign, sesMark, tableClient } from '../support/subscriptions';

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

describe.skipIf(skipWithoutChromium())('sign-up in Chromium, keyboard only', () => {
  let local: Awaited<ReturnType<typeof bootLocalStack>>;
  let browser: Browser;
  let page: Page;
  let api: string;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    local = await bootLocalStack();
    api = local.stack.apiUrl;
    const db = tableClient(local.stack.dynamodbEndpoint);
    await seedCampaign(db, LOCAL_TABLE_NAME, {
      id: 'e2e-2099',
      name: 'Test borough election',
      pollDate: '2099-05-07',
    });
    db.destroy();
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
      'Tick the box to agree to us keeping and using your details',
    ]);
    await expectNoAxeViolations(page, 'sign-up form with errors');

    // Correct it, by keyboard.
    await tabTo(page, '#email');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('keyboard.user@example.org');
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
    await expectNoAxeViolations(page, 'check your email');

    // Confirm from the emailed link.
    await local.stack.emulator.drain();
    const [confirmation] = await emailsTo(local.stack.sesEndpoint, 'keyboard.user@example.org', mark);
    await page.goto(linkIn(confirmation as NonNullable<typeof confirmation>, '/subscriptions/confirm'));
    expect(await page.locator('h1').textContent()).toContain('Confirm your sign-up');
    await expectNoAxeViolations(page, 'confirm');
    await tabTo(page, 'form button[type="submit"]');
    await submitWithSpace(page);
    expect(await page.locator('h1').textContent()).toContain('You are signed up');
    expect(await page.locator('main').textContent()).toContain('You signed up as a candidate');
    await expectNoAxeViolations(page, 'confirmed');

    // Unsubscribe from the welcome email's link.
    const welcome = (await emailsTo(local.stack.sesEndpoint, 'keyboard.user@example.org', mark)).find((m) =>
      m.subject.startsWith('You are signed up'),
    );
    const unsubscribeUrl = (header(welcome as NonNullable<typeof welcome>, 'List-Unsubscribe') ?? '').slice(
      1,
      -1,
    );
    await page.goto(unsubscribeUrl);
    expect(await page.locator('h1').textContent()).toContain('Stop getting reminders');
    await expectNoAxeViolations(page, 'unsubscribe');
    await tabTo(page, 'button:has-text("Unsubscribe from this election")');
    await submitWithSpace(page);
    expect(await page.locator('h1').textContent()).toContain('You have unsubscribed');
    await expectNoAxeViolations(page, 'unsubscribed');

    // A bad link.
    const response = await page.goto(`${api}/subscriptions/confirm?token=v1.broken.link`);
    expect(response?.status()).toBe(400);
    expect(await page.locator('h1').textContent()).toContain('This link does not work');
    await expectNoAxeViolations(page, 'bad link');

    expect(cspViolations).toEqual([]);
  });

  it('shows the GOV.UK styles from our own origin under the CSP', async () => {
    await page.goto(`${api}/`);

    const font = await page.locator('h1').evaluate((el) => getComputedStyle(el).fontFamily);
    const buttonColour = await page
      .locator('form button[type="submit"]')
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(font).toContain('GDS Transport');
    expect(buttonColour).not.toBe('rgba(0, 0, 0, 0)');
    expect(cspViolations).toEqual([]);
  });
});
