/**
 * Renders every template, for every role it serves, with and without a name, through the SES
 * emulator's TestRenderEmailTemplate (strict, like SES) and checks what a recipient would get.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_LABELS, type Role } from '../../../functions/lib/domain/roles';
import {
  CONFIRM_TEMPLATE,
  type EmailTemplate,
  isAllowedLink,
  loadTemplates,
  OPTIONAL_VARIABLES,
  SAMPLE_NAME,
  sampleTemplateData,
  type TemplateData,
  templateRoles,
} from '../../../functions/lib/templates';
import {
  putTemplates,
  type RenderedEmail,
  renderEmail,
  type SesEmulator,
  SesRenderError,
  startSesEmulator,
} from '../../support/ses-emulator';
import { validateEmailHtml } from './email-html-validate';

const MAX_SUBJECT = 70;
const MAX_TEXT_LINE = 76;

interface Case {
  template: EmailTemplate;
  role: Role;
  withName: boolean;
  data: TemplateData;
}

const templates = loadTemplates();
const cases: Case[] = templates.flatMap((template) =>
  templateRoles(template.name).flatMap((role) =>
    [true, false].map((withName) => ({
      template,
      role,
      withName,
      data: sampleTemplateData(role, { template: template.name, withName }),
    })),
  ),
);
const label = (c: Case) => `${c.template.name} as ${c.role}${c.withName ? '' : ' (no name)'}`;

let ses: SesEmulator;
const rendered = new Map<Case, RenderedEmail>();

beforeAll(async () => {
  ses = await startSesEmulator();
  await putTemplates(ses.client, templates);
  for (const c of cases) rendered.set(c, await renderEmail(ses.client, c.template.name, c.data));
});
afterAll(async () => {
  await ses?.close();
});

const get = (c: Case): RenderedEmail => {
  const email = rendered.get(c);
  if (!email) throw new Error(`not rendered: ${label(c)}`);
  return email;
};

const hrefsOf = (html: string) => [...html.matchAll(/\bhref="([^"]*)"/g)].map((m) => m[1] ?? '');
const urlsOf = (text: string) => [...text.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/[^\s<>"]+/gi)].map((m) => m[0]);
const collapse = (value: string) => value.replace(/\s+/g, ' ').trim();
const decode = (value: string) =>
  value
    .replace(/&nbsp;/g, ' ')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
// Words only: compares content while ignoring layout, punctuation, case and link addresses.
const words = (value: string) =>
  collapse(
    decode(value)
      .replace(/https:\/\/\S+/g, ' ')
      .toLowerCase()
      .replace(/[^a-z0-9@]+/g, ' '),
  );
// The visible body text, without the hidden inbox preview line MJML adds.
const visibleHtml = (html: string) =>
  (/<body[^>]*>([\s\S]*)<\/body>/.exec(html)?.[1] ?? '')
    .replace(/<div style="display:none;[\s\S]*?<\/div>/, '')
    .replace(/<!--[\s\S]*?-->/g, '');
// Blocks a reader sees as units: headings, paragraphs, list items, the action box, links.
const htmlBlocks = (html: string) =>
  [
    ...visibleHtml(html).matchAll(
      /<(h1|h2|p|li|a)\b[^>]*>([\s\S]*?)<\/\1>|<div class="action"[^>]*>([\s\S]*?)<\/div>/g,
    ),
  ]
    .map((m) => words((m[2] ?? m[3] ?? '').replace(/<[^>]+>/g, ' ')))
    .filter(Boolean);

describe.each(cases.map((c) => [label(c), c] as const))('%s', (_label, c) => {
  it('renders every placeholder, in subject, HTML and text', () => {
    const email = get(c);
    for (const part of [email.subject, email.html, email.text]) {
      expect(part).not.toMatch(/\{\{|\}\}/);
    }
  });

  it('has a short subject that matches the HTML title', () => {
    const email = get(c);
    expect(email.subject).toBe(c.template.subject);
    expect(email.subject.length).toBeLessThan(MAX_SUBJECT);
    expect(decode(/<title>([\s\S]*?)<\/title>/.exec(email.html)?.[1] ?? '')).toBe(email.subject);
  });

  it('is valid HTML with lang="en-GB"', () => {
    const email = get(c);
    expect(email.html).toMatch(/<html[^>]* lang="en-GB"/);
    expect(validateEmailHtml(email.html)).toEqual([]);
  });

  it('links only over https, to the service itself or to allowed official sites', () => {
    const email = get(c);
    const own = [c.data.unsubscribeUrl, c.data.confirmUrl].filter(Boolean);
    const links = [...hrefsOf(email.html), ...urlsOf(email.text)];
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(link.startsWith('https://'), link).toBe(true);
      expect(own.includes(link) || isAllowedLink(link), link).toBe(true);
    }
  });

  it('has a complete plain-text part: same links and words as the HTML', () => {
    const email = get(c);
    expect(new Set(urlsOf(email.text))).toEqual(new Set(hrefsOf(email.html).map(decode)));
    const text = words(email.text);
    for (const block of htmlBlocks(email.html)) expect(text).toContain(block);
    const htmlWords = new Set(words(visibleHtml(email.html).replace(/<[^>]+>/g, ' ')).split(' '));
    const onlyInText = words(email.text)
      .split(' ')
      .filter((word) => !htmlWords.has(word));
    expect(onlyInText).toEqual([]);
    expect(email.text).not.toMatch(/<[a-z/!]/i);
  });

  it(`wraps the plain text at ${MAX_TEXT_LINE} columns (a lone URL may run longer)`, () => {
    const tooLong = get(c)
      .text.split('\n')
      .filter((line) => line.length > MAX_TEXT_LINE && !/^https:\/\/\S+$/.test(line));
    expect(tooLong).toEqual([]);
  });

  it('greets the person by name, or reads well without one', () => {
    const email = get(c);
    for (const part of [email.text, words(visibleHtml(email.html).replace(/<[^>]+>/g, ' '))]) {
      if (c.withName) expect(part).toMatch(new RegExp(`hello ${SAMPLE_NAME}`, 'i'));
      else expect(part).toMatch(/hello[,\s]/i);
    }
    expect(email.text).toMatch(c.withName ? new RegExp(`^Hello ${SAMPLE_NAME},$`, 'm') : /^Hello,$/m);
    expect(`${email.html}${email.text}`).not.toMatch(
      /(Hello|Dear) ,|(Hello|Dear) {2}|\bundefined\b|\bnull\b/,
    );
  });

  if (c.template.name === CONFIRM_TEMPLATE) {
    it('has the confirm link, says what happens if ignored, and no unsubscribe link', () => {
      const email = get(c);
      expect(hrefsOf(email.html)).toContain(c.data.confirmUrl);
      expect(email.text).toContain(c.data.confirmUrl);
      for (const part of [email.html, email.text]) {
        expect(part).not.toMatch(/unsubscribe/i);
        expect(collapse(part)).toMatch(/ignore this email/);
        expect(collapse(part)).toMatch(/expire in 7 days/);
      }
    });
  } else {
    it('says why they get it and has the unsubscribe link, in HTML and text', () => {
      const email = get(c);
      const why = `You get this because you signed up as ${ROLE_LABELS[c.role]} for ${c.data.campaignName}.`;
      expect(collapse(decode(visibleHtml(email.html).replace(/<[^>]+>/g, ' ')))).toContain(why);
      expect(collapse(email.text)).toContain(why);
      expect(hrefsOf(email.html)).toContain(c.data.unsubscribeUrl);
      expect(email.text).toContain(c.data.unsubscribeUrl);
    });
  }
});

describe('rendering is strict, like SES', () => {
  it.each(templates.map((template) => [template.name, template] as const))(
    '%s fails when a required variable is missing',
    async (_name, template) => {
      const data = sampleTemplateData('candidate', { template: template.name });
      // Every plain {{variable}} the template renders, bar the optional ones.
      const source = `${template.subject}${template.html}${template.text}`;
      const required = [...new Set([...source.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? ''))].filter(
        (key) => key !== 'else' && !OPTIONAL_VARIABLES.includes(key as never),
      );
      expect(required.length).toBeGreaterThan(0);
      for (const variable of required) expect(Object.keys(data)).toContain(variable);
      for (const variable of required) {
        const { [variable as keyof TemplateData]: _dropped, ...rest } = data;
        await expect(renderEmail(ses.client, template.name, rest), variable).rejects.toThrow(SesRenderError);
      }
    },
  );

  it('does not HTML-escape data (SES renders raw), so names reach the HTML as sent', async () => {
    const data = { ...sampleTemplateData('candidate', { template: 'welcome' }), name: 'Sam & Jo' };
    const email = await renderEmail(ses.client, 'welcome', data);
    expect(email.html).toContain('Hello Sam & Jo,');
  });
});
