/**
 * The admin console in headless Chromium: sign in from the emailed link, the campaign list and the
 * audit log, sign out; bad links, a forged form, the error and not-found pages; an axe-core WCAG 2.2
 * AA check of every page and its cookies' attributes. The pages carry no script. With
 * PAGES_SCREENSHOT_DIR set, each page is captured at desktop and 375 px widths.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/lib/storage/table';
import { LOCAL_TABLE_NAME } from '../../local/stack';
import { launchChromium, skipWithoutChromium } from '../support/browser';
import { bootLocalStack } from '../support/local-stack';
import { emailsTo, linkIn, postJson, sesMark, tableClient } from '../support/subscriptions';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];
const SCREENSHOT_DIR = process.env.PAGES_SCREENSHOT_DIR;
const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'mobile', width: 375, height: 800 },
];

const expectNoAxeViolations = async (page: Page, what: string) => {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`,
  );
  expect(summary, what).toEqual([]);
};

const screenshot = async (page: Page, name: string) => {
  if (!SCREENSHOT_DIR) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const before = page.viewportSize();
  for (const size of WIDTHS) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `console-${name}-${size.name}.png`), fullPage: true });
  }
  if (before) await page.setViewportSize(before);
};

/** Every page checked the same way: accessible, no script, captured. */
const checkPage = async (page: Page, name: string) => {
  await expectNoAxeViolations(page, name);
  expect(await page.locator('script').count(), `${name} carries no script`).toBe(0);
  await screenshot(page, name);
};

const heading = async (page: Page) => ((await page.locator('h1').textContent()) ?? '').trim();

describe.skipIf(skipWithoutChromium())('admin console in Chromium', () => {
  let local: Awaited<ReturnType<typeof bootLocalStack>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let api: string;
  let campaignId: string;

  beforeAll(async () => {
    local = await bootLocalStack({ env: { ESR_ADMINS: 'alice@example.org:editor,vera@example.org:viewer' } });
    api = local.stack.apiUrl;
    expect((await postJson(`${api}/local/clock`, { now: '2027-03-01T12:00:00Z' })).status).toBe(200);
    const created = await fetch(`${api}/admin/campaigns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${local.stack.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Anytown council elections 2027',
        pollDate: '2027-05-06',
        nation: 'england',
        organiser: { name: 'Anytown Borough Council', email: 'elections@anytown.example' },
      }),
    });
    expect(created.status).toBe(201);
    campaignId = ((await created.json()) as { id: string }).id;
    // Confirmed subscribers, as the audience index holds them (ids only: the counts need no more).
    const db = tableClient(local.stack.dynamodbEndpoint);
    const roles = [
      'candidate',
      'candidate',
      'candidate',
      'agent',
      'returning-officer',
      'polling-staff',
      'polling-staff',
    ];
    for (const [i, role] of roles.entries()) {
      const emailHmac = i.toString(16).padStart(64, '0');
      await db.send(
        new PutCommand({
          TableName: LOCAL_TABLE_NAME,
          Item: {
            ...keys.subscription(emailHmac, campaignId),
            ...keys.audienceEntry(campaignId, role, emailHmac),
            role,
            status: 'confirmed',
          },
        }),
      );
    }
    db.destroy();
    browser = await launchChromium();
    context = await browser.newContext();
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await local?.stop();
  });

  const askForLink = async (email: string) => {
    const mark = await sesMark(local.stack.sesEndpoint);
    await page.goto(`${api}/console/sign-in`);
    await page.fill('#email', email);
    await Promise.all([page.waitForEvent('load'), page.click('form button')]);
    await local.stack.emulator.drain();
    const [message] = await emailsTo(local.stack.sesEndpoint, email, mark);
    return message ? linkIn(message, '/console/sign-in/link') : undefined;
  };

  it('signs in from the emailed link, shows the campaigns and the audit log, and signs out', async () => {
    await page.goto(`${api}/console`);
    expect(page.url()).toBe(`${api}/console/sign-in`);
    expect(await heading(page)).toBe('Sign in');
    await checkPage(page, 'sign-in');

    // A mistyped address: the error summary and the field's message.
    await page.fill('#email', 'not-an-address');
    await Promise.all([page.waitForEvent('load'), page.click('form button')]);
    expect(await page.title()).toMatch(/^Error: Sign in/);
    expect(await page.locator('.govuk-error-summary a').textContent()).toContain('correct format');
    await checkPage(page, 'sign-in-error');

    const link = await askForLink('alice@example.org');
    expect(await heading(page)).toBe('Check your email');
    await checkPage(page, 'check-email');
    expect(link).toBeDefined();

    await page.goto(link as string);
    expect(await heading(page)).toBe('Sign in to the admin console');
    await checkPage(page, 'sign-in-link');
    expect((await context.cookies()).some((c) => c.name === 'esr-console')).toBe(false);
    await Promise.all([page.waitForEvent('load'), page.click('form button')]);
    expect(page.url()).toBe(`${api}/console/campaigns`);

    const session = (await context.cookies()).find((c) => c.name === 'esr-console');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false, path: '/' });
    const expiresIn = (session?.expires ?? 0) - Date.now() / 1000;
    expect(expiresIn).toBeGreaterThan(8 * 3600 - 60);
    expect(expiresIn).toBeLessThanOrEqual(8 * 3600);

    // The list: one line per campaign with counts by role, and the shell.
    expect(await heading(page)).toBe('Campaigns');
    const main = ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');
    expect(main).toContain('Anytown council elections 2027');
    expect(main).toContain('local council election, England');
    expect(main).toContain('Thursday 6 May 2027');
    expect(main).toContain('7 in all');
    expect(main).toContain('Candidate: 3');
    expect(await page.locator('[data-signed-in]').textContent()).toContain('alice@example.org (editor)');
    expect(await page.locator('.govuk-service-navigation__item--active').textContent()).toContain(
      'Campaigns',
    );
    expect(await page.locator('a.govuk-button', { hasText: 'Create campaign' }).getAttribute('href')).toBe(
      '/console/campaigns/new',
    );
    await checkPage(page, 'campaigns');

    await page.click('text=Audit log');
    expect(await heading(page)).toBe('Audit log');
    expect(await page.locator('tbody').textContent()).toContain('Signed in');
    await checkPage(page, 'audit');

    await page.goto(`${api}/console/campaigns/${campaignId}/audit`);
    expect(await heading(page)).toBe('Audit log: Anytown council elections 2027');
    await checkPage(page, 'campaign-audit');

    await page.goto(`${api}/console/no-such-page`);
    expect(await heading(page)).toBe('Page not found');
    await checkPage(page, 'not-found');

    // A form whose CSRF token was tampered with: 403, still signed in.
    await page.goto(`${api}/console/sign-out`);
    await checkPage(page, 'sign-out');
    await page.locator('input[name="csrfToken"]').evaluate((input) => {
      (input as HTMLInputElement).value = 'forged';
    });
    const refused = await Promise.all([page.waitForEvent('response'), page.click('form button')]);
    expect(refused[0].status()).toBe(403);
    expect(await heading(page)).toBe('You cannot do that');
    await checkPage(page, 'forbidden-csrf');
    await page.goto(`${api}/console/campaigns`);
    expect(await heading(page)).toBe('Campaigns');

    await page.goto(`${api}/console/sign-out`);
    await Promise.all([page.waitForEvent('load'), page.click('form button')]);
    expect(await heading(page)).toBe('You have signed out');
    await checkPage(page, 'signed-out');
    expect((await context.cookies()).some((c) => c.name === 'esr-console')).toBe(false);
    await page.goto(`${api}/console/campaigns`);
    expect(page.url()).toBe(`${api}/console/sign-in`);

    // The used link, again.
    await page.goto(link as string);
    expect(await heading(page)).toBe('This sign-in link cannot be used');
    await checkPage(page, 'bad-link');
  });

  it('shows a viewer the list without the create button', async () => {
    const link = await askForLink('vera@example.org');
    await page.goto(link as string);
    await Promise.all([page.waitForEvent('load'), page.click('form button')]);
    expect(await page.locator('[data-signed-in]').textContent()).toContain('vera@example.org (viewer)');
    expect(await page.locator('a.govuk-button', { hasText: 'Create campaign' }).count()).toBe(0);
    await checkPage(page, 'campaigns-viewer');
  });

  it('answers an address not on the allow-list with the same page and no email', async () => {
    await context.clearCookies();
    const link = await askForLink('stranger@example.net');
    expect(await heading(page)).toBe('Check your email');
    expect(link).toBeUndefined();
  });
});
