/**
 * The console's import and subscriber pages in headless Chromium, on the whole local stack: an
 * editor uploads a CSV and watches the job's progress refresh without a reload until its report
 * shows the rejected rows by line; an approver exports what is held about an address (page and
 * JSON download), then erases it after confirming; a viewer gets 403 for both. axe-core (WCAG 2.2
 * AA) on every page; with PAGES_SCREENSHOT_DIR set, pages are captured at desktop and 375 px.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_TABLE_NAME } from '../../local/stack';
import { launchChromium, skipWithoutChromium } from '../support/browser';
import { bootLocalStack } from '../support/local-stack';
import {
  emailsTo,
  linkIn,
  postJson,
  type StoredEmail,
  seedCampaign,
  sesMark,
  tableClient,
} from '../support/subscriptions';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];
const ADMINS = {
  editor: 'editor@anytown.example.org',
  approver: 'approver@anytown.example.org',
  viewer: 'viewer@anytown.example.org',
};
const CAMPAIGN = {
  id: 'peopleconsole234',
  name: 'Anytown council elections 2027',
  pollDate: '2027-05-06',
};
const SUBJECT = 'pat.subject@example.org';

const SCREENSHOT_DIR = process.env.PAGES_SCREENSHOT_DIR;
const screenshot = async (page: Page, name: string) => {
  if (!SCREENSHOT_DIR) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const before = page.viewportSize();
  for (const size of [
    { name: 'desktop', width: 1280, height: 900 },
    { name: 'mobile', width: 375, height: 800 },
  ]) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `console-${name}-${size.name}.png`), fullPage: true });
  }
  if (before) await page.setViewportSize(before);
};

const expectNoAxeViolations = async (page: Page, what: string) => {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`),
    what,
  ).toEqual([]);
};

const expectNoSidewaysScroll = async (page: Page, what: string) => {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth), what).toBeLessThanOrEqual(375);
  if (before) await page.setViewportSize(before);
};

const mainText = async (page: Page) =>
  ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');

describe.skipIf(skipWithoutChromium())('console import and subscriber pages in Chromium', () => {
  let local: Awaited<ReturnType<typeof bootLocalStack>>;
  let browser: Browser;
  let api: string;
  const cspViolations: string[] = [];

  const signIn = async (email: string): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    const mark = await sesMark(local.stack.sesEndpoint);
    await page.goto(`${api}/console/sign-in`);
    await page.fill('#email', email);
    await Promise.all([page.waitForEvent('load'), page.click('button.govuk-button')]);
    let sent: StoredEmail | undefined;
    for (let i = 0; i < 50 && !sent; i++) {
      await local.stack.emulator.drain();
      [sent] = await emailsTo(local.stack.sesEndpoint, email, mark);
      if (!sent) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!sent) throw new Error(`No sign-in email for ${email}`);
    await page.goto(linkIn(sent, '/console/sign-in/link'));
    await Promise.all([page.waitForURL(/\/console\/campaigns$/), page.click('button.govuk-button')]);
    return { context, page };
  };

  beforeAll(async () => {
    local = await bootLocalStack({
      env: {
        ESR_ADMINS: `${ADMINS.editor}:editor,${ADMINS.approver}:approver,${ADMINS.viewer}:viewer`,
      },
    });
    api = local.stack.apiUrl;
    expect((await postJson(`${api}/local/clock`, { now: '2027-03-01T12:00:00Z' })).status).toBe(200);
    await seedCampaign(tableClient(local.stack.dynamodbEndpoint), LOCAL_TABLE_NAME, CAMPAIGN);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await local?.stop();
  });

  it('uploads a CSV, follows the job without a reload, and shows the report by line', {
    timeout: 180_000,
  }, async () => {
    const { page } = await signIn(ADMINS.editor);
    await page.goto(`${api}/console/campaigns/${CAMPAIGN.id}`);
    // The campaign page links to the upload page.
    expect(await page.locator(`main a[href="/console/campaigns/${CAMPAIGN.id}/import"]`).count()).toBe(1);
    await page.goto(`${api}/console/campaigns/${CAMPAIGN.id}/import`);
    expect(await mainText(page)).toContain('Import staff');
    await expectNoAxeViolations(page, 'upload form');

    // No file: the error summary names the field.
    await Promise.all([page.waitForEvent('load'), page.click('form button.govuk-button')]);
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator('.govuk-error-summary a').getAttribute('href')).toBe('#file');
    await expectNoAxeViolations(page, 'upload form with an error');
    await screenshot(page, 'import-upload-error');

    const rows = Array.from({ length: 30 }, (_, i) => `person${i}@example.org,polling-staff,Ann Lee`);
    const csv = ['email,role,name', ...rows, 'not-an-address,agent,Bo', 'x@example.org,mayor,Cy'].join(
      '\r\n',
    );
    const file = join(tmpdir(), `esr-staff-${process.pid}.csv`);
    writeFileSync(file, csv);
    await page.setInputFiles('#file', file);
    await Promise.all([
      page.waitForURL(/\/console\/imports\/[0-9a-f-]{36}$/),
      page.click('form button.govuk-button'),
    ]);
    await screenshot(page, 'import-job-running');
    const url = page.url();

    // The script refreshes the figures in place until the job is done, then fills in the report.
    await expect
      .poll(async () => page.locator('[data-field="stateText"]').textContent(), {
        timeout: 120_000,
        interval: 500,
      })
      .toBe('Done');
    expect(page.url()).toBe(url);
    expect(await page.locator('[data-field="done"]').textContent()).toBe('32');
    expect(await page.locator('[data-field="invited"]').textContent()).toBe('30');
    expect(await page.locator('[data-field="rejected"]').textContent()).toBe('2');
    const report = await page
      .locator('#report tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) =>
          Array.from((row as HTMLTableRowElement).cells, (cell) => cell.textContent?.trim()).join(' '),
        ),
      );
    expect(report).toEqual([
      '32 not-an-address Not an email address',
      '33 x@example.org Not a role the service knows',
    ]);
    await expectNoAxeViolations(page, 'import job done');
    await expectNoSidewaysScroll(page, 'import job done');
    await screenshot(page, 'import-job-done');
    expect(cspViolations).toEqual([]);
  });

  it('exports what is held, downloads it as JSON, and erases after confirmation (approver only)', {
    timeout: 120_000,
  }, async () => {
    const signup = await postJson(`${api}/subscriptions`, {
      email: SUBJECT,
      name: 'Pat Subject',
      role: 'candidate',
      campaignId: CAMPAIGN.id,
      consent: true,
    });
    expect(signup.status).toBe(202);
    await local.stack.emulator.drain();

    const viewer = await signIn(ADMINS.viewer);
    const refused = await viewer.page.goto(`${api}/console/subscribers`);
    expect(refused?.status()).toBe(403);
    const refusedImport = await viewer.page.goto(`${api}/console/campaigns/${CAMPAIGN.id}/import`);
    expect(refusedImport?.status()).toBe(403);
    expect(await viewer.page.locator('a[href="/console/subscribers"]').count()).toBe(0);

    const { page } = await signIn(ADMINS.approver);
    await Promise.all([page.waitForEvent('load'), page.click('a[href="/console/subscribers"]')]);
    await expectNoAxeViolations(page, 'subscribers form');
    await page.fill('#email', 'not an address');
    await Promise.all([page.waitForEvent('load'), page.click('button[value="export"]')]);
    expect(await page.locator('.govuk-error-summary a').getAttribute('href')).toBe('#email');
    await page.fill('#email', SUBJECT);
    await Promise.all([page.waitForEvent('load'), page.click('button[value="export"]')]);
    expect(page.url()).toBe(`${api}/console/subscribers`);
    const shown = await mainText(page);
    expect(shown).toContain('Pat Subject');
    expect(shown).toContain('pending');
    await expectNoAxeViolations(page, 'subscriber data');
    await expectNoSidewaysScroll(page, 'subscriber data');
    await screenshot(page, 'subscriber-data');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('form[action="/console/subscribers/export.json"] button'),
    ]);
    const saved = join(tmpdir(), `esr-subject-${process.pid}.json`);
    await download.saveAs(saved);
    expect(JSON.parse(readFileSync(saved, 'utf8')).subscriptions[0].name).toBe('Pat Subject');

    await Promise.all([page.waitForEvent('load'), page.click('button[value="erase"]')]);
    expect(await mainText(page)).toContain('This cannot be undone');
    await Promise.all([
      page.waitForEvent('load'),
      page.click('form[action="/console/subscribers/erase"] button'),
    ]);
    expect(await page.locator('.govuk-error-summary a').getAttribute('href')).toBe('#confirm');
    await expectNoAxeViolations(page, 'erase confirmation with an error');
    await screenshot(page, 'subscriber-erase');
    await page.check('#confirm');
    await Promise.all([
      page.waitForEvent('load'),
      page.click('form[action="/console/subscribers/erase"] button'),
    ]);
    expect(await mainText(page)).toMatch(/Removed: 1 subscriptions/);
    await screenshot(page, 'subscriber-erased');

    // Nothing is held any more, and the audit log says who did what, with counts, never the address.
    await page.goto(`${api}/console/subscribers`);
    await page.fill('#email', SUBJECT);
    await Promise.all([page.waitForEvent('load'), page.click('button[value="export"]')]);
    expect(await mainText(page)).not.toContain('Pat Subject');
    await page.goto(`${api}/console/audit`);
    const audit = await mainText(page);
    expect(audit).toContain('Subscriber erased');
    expect(audit).toContain('Subscriber data exported');
    expect(audit).not.toContain(SUBJECT);
    expect(cspViolations).toEqual([]);
  });
});
