/**
 * The console's campaign pages in headless Chromium: sign in from the emailed link, create a campaign
 * (errors, check your answers with the timetable and reminders), see its timeline, open a preview,
 * fire steps with the local clock and watch the delivery counts change without a reload; a viewer
 * gets 403 for the create form. axe-core (WCAG 2.2 AA) on every page. With PAGES_SCREENSHOT_DIR set,
 * each page is captured at desktop and 375 px widths.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, skipWithoutChromium } from '../support/browser';
import { bootLocalStack } from '../support/local-stack';
import { emailsTo, linkIn, postForm, postJson, type StoredEmail, sesMark } from '../support/subscriptions';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];

const ADMINS = {
  editor: 'editor@anytown.example.org',
  approver: 'approver@anytown.example.org',
  approver2: 'approver2@anytown.example.org',
  viewer: 'viewer@anytown.example.org',
};

const SCREENSHOT_DIR = process.env.PAGES_SCREENSHOT_DIR;
const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'mobile', width: 375, height: 800 },
];

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

const expectNoAxeViolations = async (page: Page, what: string) => {
  if (process.env.DEBUG_E2E) console.log(new Date().toISOString(), 'axe', what);
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`,
  );
  expect(summary, what).toEqual([]);
};

/** At 375 px nothing makes the page scroll sideways: wide tables and the picture scroll in their own box. */
const expectNoSidewaysScroll = async (page: Page, what: string) => {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth), what).toBeLessThanOrEqual(375);
  if (before) await page.setViewportSize(before);
};

const mainText = async (page: Page) =>
  ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');

describe.skipIf(skipWithoutChromium())('console campaign pages in Chromium', () => {
  let local: Awaited<ReturnType<typeof bootLocalStack>>;
  let browser: Browser;
  let api: string;
  const cspViolations: string[] = [];

  const setClock = async (now: string) => {
    const response = await postJson(`${api}/local/clock`, { now });
    expect(response.status).toBe(200);
  };

  /** Signs in as `email` in a fresh browser context, from the link in the sign-in email. */
  const signIn = async (email: string): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext();
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

  const signUpAndConfirm = async (campaignId: string, email: string, role: string) => {
    const before = await sesMark(local.stack.sesEndpoint);
    const signup = await postJson(`${api}/subscriptions`, { email, role, campaignId, consent: true });
    expect(signup.status).toBe(202);
    await local.stack.emulator.drain();
    const [confirmation] = await emailsTo(local.stack.sesEndpoint, email, before);
    const token = new URL(linkIn(confirmation as StoredEmail, '/subscriptions/confirm')).searchParams.get(
      'token',
    );
    expect((await postForm(`${api}/subscriptions/confirm`, { token: String(token) })).status).toBe(200);
  };

  beforeAll(async () => {
    local = await bootLocalStack({
      env: {
        ESR_ADMINS: `${ADMINS.editor}:editor,${ADMINS.approver}:approver,${ADMINS.approver2}:approver,${ADMINS.viewer}:viewer`,
      },
    });
    api = local.stack.apiUrl;
    await setClock('2027-03-01T12:00:00Z');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await local?.stop();
  });

  it('creates a campaign, shows its timeline and previews, and refreshes the counts as steps go out', {
    timeout: 240_000,
  }, async () => {
    let { page } = await signIn(ADMINS.editor);

    // The form, and its errors.
    await page.goto(`${api}/console/campaigns/new`);
    await expectNoAxeViolations(page, 'create form');
    await screenshot(page, 'create-form');
    await page.fill('#name', 'Anytown council elections 2027');
    await page.fill('#organiser-email', 'not an address');
    await Promise.all([page.waitForEvent('load'), page.click('button[value="check"]')]);
    expect(await page.title()).toMatch(/^Error: /);
    const summary = page.locator('.govuk-error-summary');
    await expect.poll(() => summary.isVisible()).toBe(true);
    expect(await summary.locator('a').allTextContents()).toEqual([
      'Select the type of election',
      'Select the nation',
      'Enter the poll date',
      'Organiser name is required',
      'Organiser email address must be an email address',
    ]);
    // The summary's links go to the fields.
    expect(await summary.locator('a').first().getAttribute('href')).toBe('#election');
    expect(await page.locator('#name').inputValue()).toBe('Anytown council elections 2027');
    await expectNoAxeViolations(page, 'create form with errors');
    await screenshot(page, 'create-form-errors');

    await page.check('input[name="election"][value="local"]');
    await page.check('input[name="nation"][value="england"]');
    await page.fill('#pollDate-day', '6');
    await page.fill('#pollDate-month', '5');
    await page.fill('#pollDate-year', '2027');
    await page.fill('#organiser-name', 'Anytown Borough Council');
    await page.fill('#organiser-email', 'elections@anytown.example.org');
    await page.fill('#contacts-candidates-name', 'Candidate safety, Anytown Police');
    await page.fill('#contacts-candidates-phone', '01234 000000');
    await Promise.all([page.waitForEvent('load'), page.click('button[value="check"]')]);

    // Check your answers: the timetable and every reminder.
    const check = await mainText(page);
    expect(check).toContain('Check your answers');
    expect(check).toContain('Nominations close at 4pm');
    expect(check).toMatch(/18 reminders: 18 will be sent/);
    expect(check).toContain(
      'Saving creates a draft. Nothing is scheduled until another approver approves it.',
    );
    expect(await page.locator('table').nth(1).locator('tbody tr').count()).toBe(18);
    await expectNoAxeViolations(page, 'check your answers');
    await expectNoSidewaysScroll(page, 'check your answers');
    await screenshot(page, 'check-answers');
    await Promise.all([
      page.waitForURL(/\/console\/campaigns\/[a-z2-7]{16}\?done=draft-created/),
      page.click('button[value="save"]'),
    ]);
    const campaignUrl = page.url().replace(/\?.*$/, '');
    const campaignId = campaignUrl.split('/').pop() as string;
    expect(await mainText(page)).toContain('Draft: waiting for approval');
    // The editor cannot approve: no button, only what waits.
    expect(await page.locator('form[action$="/changes/draft/approve"]').count()).toBe(0);
    await screenshot(page, 'draft');

    // A second admin, an approver, approves the draft.
    const second = await signIn(ADMINS.approver);
    await second.page.goto(campaignUrl);
    expect(await mainText(second.page)).toContain('Open the campaign: schedule its 18 reminders');
    await expectNoAxeViolations(second.page, 'draft waiting for approval');
    await screenshot(second.page, 'draft-approver');
    await Promise.all([
      second.page.waitForURL(/done=approved/),
      second.page.click('form[action$="/changes/draft/approve"] button'),
    ]);
    expect(await mainText(second.page)).toMatch(/Approved\. Open /);
    await page.goto(campaignUrl);

    // The campaign page: the timeline picture and its text alternative.
    const svg = page.locator('svg.esr-timeline');
    expect(await svg.getAttribute('role')).toBe('img');
    expect(await page.locator('#timeline-desc').textContent()).toMatch(/18 reminders .*18 scheduled/);
    expect(await svg.locator('g.esr-timeline__step').count()).toBe(18);
    expect(await svg.locator('g.esr-timeline__milestone').count()).toBe(7);
    const box = await svg.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(700);
    await expectNoAxeViolations(page, 'campaign page');
    await expectNoSidewaysScroll(page, 'campaign page');
    await screenshot(page, 'campaign');

    // A preview, as an agent gets it: the real template with the campaign's words and contact.
    await page.goto(`${campaignUrl}/steps/know-your-police-contact/preview?role=agent`);
    const frame = page.frameLocator('iframe.esr-preview-frame');
    await expect
      .poll(async () => (await frame.locator('body').textContent()) ?? '')
      .toContain('Candidate safety, Anytown Police');
    expect(await frame.locator('body').textContent()).toContain('Anytown Borough Council');
    expect(await page.locator('iframe.esr-preview-frame').getAttribute('sandbox')).toBe('');
    await expectNoAxeViolations(page, 'preview');
    await screenshot(page, 'preview');

    // Subscribers, then the first step fires on the local clock; the open page's counts refresh.
    await signUpAndConfirm(campaignId, 'cand1@example.org', 'candidate');
    await signUpAndConfirm(campaignId, 'cand2@example.org', 'candidate');
    await signUpAndConfirm(campaignId, 'ro@example.org', 'returning-officer');
    // A session lasts 8 hours on the service's clock: sign in again just before the step is due.
    await setClock('2027-03-25T08:58:00Z');
    ({ page } = await signIn(ADMINS.editor));
    await page.goto(campaignUrl);
    const row = page.locator('tr[data-step-row="secure-accounts"]');
    expect(await row.locator('[data-field="sent"]').textContent()).toBe('–');
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    await setClock('2027-03-25T09:00:30Z');
    await expect
      .poll(async () => row.locator('[data-field="sent"]').textContent(), { timeout: 20_000 })
      .toBe('2');
    // The two candidates; the returning officer's reminders are others.
    expect(await row.locator('[data-field="statusLabel"]').textContent()).toBe('Sent');
    expect(await row.locator('[data-field="recipients"]').textContent()).toBe('2');
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    // Reloaded, the picture shows the step sent.
    await page.goto(campaignUrl);
    expect(
      await page.locator('svg.esr-timeline g[data-step="secure-accounts"]').getAttribute('data-status'),
    ).toBe('sent');
    await expectNoAxeViolations(page, 'campaign page after a step');
    await screenshot(page, 'campaign-after-send');

    // An urgent alert: an approver writes and previews it, a second approver approves it.
    const author = await signIn(ADMINS.approver);
    await author.page.goto(`${campaignUrl}/alert`);
    await expectNoAxeViolations(author.page, 'alert form');
    await author.page.fill('#subject', 'Fake police emails this week');
    await author.page.fill('#body', '# Warning\n\nEmails claiming to be from the police are fake.');
    await Promise.all([author.page.waitForEvent('load'), author.page.click('button[value="preview"]')]);
    expect(await author.page.locator('.govuk-error-summary a').allTextContents()).toEqual([
      expect.stringMatching(/headings/),
      'Select who should get it',
    ]);
    await expectNoAxeViolations(author.page, 'alert form with errors');
    await author.page.fill(
      '#body',
      'Emails claiming to be from the police are **fake**.\n\n- Do not open their links',
    );
    await author.page.check('input[name="roles"][value="candidate"]');
    await author.page.check('input[name="roles"][value="agent"]');
    await Promise.all([author.page.waitForEvent('load'), author.page.click('button[value="preview"]')]);
    const alertFrame = author.page.frameLocator('iframe.esr-preview-frame');
    await expect
      .poll(async () => (await alertFrame.locator('body').textContent()) ?? '')
      .toContain('Emails claiming to be from the police are fake.');
    expect(await alertFrame.locator('strong', { hasText: 'fake' }).count()).toBe(1);
    await expectNoAxeViolations(author.page, 'alert preview');
    await screenshot(author.page, 'alert-preview');
    await Promise.all([
      author.page.waitForURL(/done=alert-proposed/),
      author.page.click('button[value="save"]'),
    ]);
    expect(await author.page.locator('form[action*="/changes/alert-"][action$="/approve"]').count()).toBe(0);
    const other = await signIn(ADMINS.approver2);
    await other.page.goto(campaignUrl);
    expect(await mainText(other.page)).toContain('Send the urgent alert "Fake police emails this week"');
    await Promise.all([
      other.page.waitForURL(/done=approved/),
      other.page.click('form[action*="/changes/alert-"][action$="/approve"] button'),
    ]);
    expect(await other.page.locator('svg.esr-timeline g[data-step^="alert-"]').count()).toBe(1);

    // Cancel, through its confirmation page.
    await page.goto(`${campaignUrl}/cancel`);
    await expectNoAxeViolations(page, 'cancel page');
    await Promise.all([page.waitForURL(/done=cancel-proposed/), page.click('button.govuk-button--warning')]);
    expect(await mainText(page)).toContain('Cancellation sent for approval');
    expect(await mainText(page)).toContain('Cancel the campaign: nothing more is sent');
    expect(cspViolations).toEqual([]);
  });

  it('refuses an approver the approval of their own draft (403)', async () => {
    const { page } = await signIn(ADMINS.approver2);
    await page.goto(`${api}/console/campaigns/new`);
    const csrfToken = (await page.locator('input[name="csrfToken"]').first().getAttribute('value')) ?? '';
    const created = await page.request.post(`${api}/console/campaigns/new`, {
      form: {
        csrfToken,
        name: 'Othertown by-election 2027',
        election: 'local',
        nation: 'wales',
        'pollDate-day': '17',
        'pollDate-month': '6',
        'pollDate-year': '2027',
        'organiser-name': 'Othertown Council',
        'organiser-email': 'elections@othertown.example.org',
        step: 'save',
      },
      maxRedirects: 0,
    });
    expect(created.status()).toBe(303);
    const location = created.headers().location ?? '';
    expect(location).toMatch(/done=draft-created$/);
    const campaignUrl = `${api}${location.replace(/\?.*$/, '')}`;
    await page.goto(campaignUrl);
    expect(await page.locator('form[action$="/changes/draft/approve"]').count()).toBe(0);
    expect(await mainText(page)).toContain('You proposed this. Another approver must approve it.');
    const refused = await page.request.post(`${campaignUrl}/changes/draft/approve`, {
      form: { csrfToken },
      maxRedirects: 0,
    });
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toContain('You created or edited this draft');
  });

  it('refuses the create form to a viewer with 403', async () => {
    const { page } = await signIn(ADMINS.viewer);
    const response = await page.goto(`${api}/console/campaigns/new`);
    expect(response?.status()).toBe(403);
    await expectNoAxeViolations(page, '403 page');
  });
});
