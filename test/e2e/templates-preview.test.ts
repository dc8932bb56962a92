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
      ] as const) {
        const hrefs = await page
          .locator(`section#${audience} a`)
          .evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
        const expected = preview.emails
          .filter((e) => (roles as readonly string[]).includes(e.role))
          .flatMap((e) => [e.htmlFile, e.textFile]);
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
