/**
 * Generates the template previews into a temp folder and checks them in headless Chromium the way a
 * reviewer would: open the index, follow a link to an email, look at it on a phone-width screen.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplates, templateRoles } from '../../functions/lib/templates';
import { generatePreview, type PreviewResult } from '../../scripts/templates-preview';
import { launchChromium, skipWithoutChromium } from '../support/browser';

const PHONE = { width: 375, height: 812 };
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// Kept after the run so a person can look at it.
const SCREENSHOT_DIR = join(tmpdir(), 'election-security-reminders');

const horizontalOverflow = (page: Page) =>
  page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));

describe.skipIf(skipWithoutChromium())('template previews in Chromium', () => {
  let outDir: string;
  let preview: PreviewResult;
  let browser: Browser;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'templates-preview-'));
    preview = await generatePreview({ outDir });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('renders one HTML and one text file per template and role', () => {
    const expected = loadTemplates().flatMap((t) =>
      templateRoles(t.name).map((role) => `${t.name}--${role}`),
    );
    expect(preview.emails.map((e) => e.htmlFile.replace(/\.html$/, '')).sort()).toEqual(expected.sort());
    for (const email of preview.emails) {
      expect(statSync(join(outDir, email.textFile)).size, email.textFile).toBeGreaterThan(200);
    }
  });

  it('lists every preview on the index, grouped by audience', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(pathToFileURL(preview.indexFile).href);
      expect(await page.title()).toBe('Email template previews');
      for (const [audience, roles] of [
        ['candidates', ['candidate', 'agent']],
        ['officials', ['returning-officer', 'election-staff']],
        ['polling-staff', ['polling-staff']],
      ] as const) {
        const hrefs = await page
          .locator(`section#${audience} a`)
          .evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
        const expected = [
          ...preview.emails
            .filter((e) => (roles as readonly string[]).includes(e.role))
            .flatMap((e) => [e.htmlFile, e.textFile]),
          ...preview.webPages
            .filter((p) => (roles as readonly string[]).includes(p.role))
            .map((p) => p.htmlFile),
        ];
        expect(hrefs.sort()).toEqual(expected.sort());
      }
    } finally {
      await page.close();
    }
  });

  it('opens an email from the index; on a phone it fits the screen and shows the subject as title', async () => {
    const target = preview.emails.find(
      (e) => e.template === 'spot-phishing-and-fakes-candidates' && e.role === 'agent',
    );
    if (!target) throw new Error('preview for spot-phishing-and-fakes-candidates (agent) missing');
    const page = await browser.newPage();
    try {
      await page.goto(pathToFileURL(preview.indexFile).href);
      await Promise.all([
        page.waitForURL(`**/${target.htmlFile}`),
        page.click(`a[href="${target.htmlFile}"]`),
      ]);
      await page.setViewportSize(PHONE);

      expect(await page.title()).toBe(target.subject);
      expect(await page.locator('h1').textContent()).toBe(target.subject);
      expect(await page.getByRole('link', { name: 'Unsubscribe from these reminders' }).count()).toBe(1);
      const { scrollWidth, clientWidth } = await horizontalOverflow(page);
      expect(clientWidth).toBe(PHONE.width);
      expect(scrollWidth).toBeLessThanOrEqual(PHONE.width);

      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const path = join(SCREENSHOT_DIR, `${target.template}--${target.role}-375.png`);
      await page.screenshot({ path, fullPage: true });
      const png = readFileSync(path);
      expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      // PNG IHDR: width at byte 16, height at byte 20. A full-page shot of a real email is tall.
      expect(png.readUInt32BE(16)).toBe(PHONE.width);
      expect(png.readUInt32BE(20)).toBeGreaterThan(PHONE.height);
    } finally {
      await page.close();
    }
  });

  it('renders the printable card as a web page for every role that gets it', () => {
    expect(preview.webPages.map((p) => `${p.template}--${p.role}`).sort()).toEqual([
      'presiding-officer-card-officials--election-staff',
      'presiding-officer-card-officials--returning-officer',
      'presiding-officer-card-polling-staff--polling-staff',
    ]);
  });

  it('prints the presiding officer card on one A4 page, black on white, without banner or footer', async () => {
    // Northern Ireland's card has the longest wording; England's is the usual one.
    const ni = await generatePreview({
      outDir: mkdtempSync(join(tmpdir(), 'templates-preview-ni-')),
      nation: 'northern-ireland',
    });
    const pages = [
      ...preview.webPages.map((p) => join(outDir, p.htmlFile)),
      ...ni.webPages.map((p) => join(ni.outDir, p.htmlFile)),
    ];
    const page = await browser.newPage();
    try {
      for (const file of pages) {
        await page.goto(pathToFileURL(file).href);
        await page.emulateMedia({ media: 'print' });
        expect(await page.locator('h1').textContent(), file).toBe('Polling station security card');
        // Banner and footer (emergency numbers aside, they mean nothing on paper) are hidden.
        expect(await page.getByText('Election security reminders', { exact: true }).isVisible(), file).toBe(
          false,
        );
        expect(await page.getByText(/These reminders summarise official guidance/).isVisible(), file).toBe(
          false,
        );
        const colours = await page.evaluate(() =>
          Array.from(document.querySelectorAll('h1, h2, p, li, a, div.action'), (el) => {
            const style = getComputedStyle(el);
            return `${style.color} on ${style.backgroundColor}`;
          }),
        );
        expect(new Set(colours), file).toEqual(new Set(['rgb(0, 0, 0) on rgba(0, 0, 0, 0)']));
        const pdf = await page.pdf({ format: 'A4', printBackground: true });
        const pageCount = (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
        expect(pageCount, file).toBe(1);
        await page.emulateMedia({ media: 'screen' });
      }
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.goto(pathToFileURL(pages[0] ?? '').href);
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({
        path: join(SCREENSHOT_DIR, 'presiding-officer-card-print.png'),
        fullPage: true,
      });
    } finally {
      await page.close();
      rmSync(ni.outDir, { recursive: true, force: true });
    }
  });

  it('no email scrolls sideways on a 375px-wide phone', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    try {
      const overflowing: string[] = [];
      for (const email of preview.emails) {
        await page.goto(pathToFileURL(join(outDir, email.htmlFile)).href);
        const { scrollWidth } = await horizontalOverflow(page);
        if (scrollWidth > PHONE.width) overflowing.push(`${email.htmlFile}: ${scrollWidth}px`);
      }
      expect(overflowing).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
