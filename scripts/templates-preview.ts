/**
 * Renders every email template, for every role it serves, into .local/preview/ (or the folder given
 * as the first argument): `<template>--<role>.html` and `.txt`, plus an index.html grouped by audience.
 * The printable presiding officer cards are also rendered as their web archive pages
 * (`<template>--<role>--web.html`). `--nation scotland|northern-ireland|wales|uk` renders the
 * campaign in that nation (default england); `--organiser minimal|none` renders it with an organiser
 * who gave no phone or website (and a contact with an email address only), or with none, as a
 * campaign from before organisers were asked for (default full: organiser and contacts complete).
 *
 * Rendering goes through the in-process SES emulator's TestRenderEmailTemplate, so Handlebars
 * behaves exactly as SES renders it (and a missing variable fails the run).
 *
 *   npm run templates:preview [-- [<out-dir>] [--nation <nation>] [--organiser <full|minimal|none>]]
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AUDIENCES, type Audience, ROLE_LABELS, type Role, rolesOf } from '../functions/lib/domain/roles';
import { DEFAULT_PLAYBOOK_ID, PLAYBOOKS } from '../functions/lib/playbooks';
import {
  CONFIRM_TEMPLATE,
  loadTemplates,
  SAMPLE_CAMPAIGN_NAME,
  SAMPLE_ORGANISER,
  SAMPLE_POLL_DATE,
  type SampleNation,
  type SampleOptions,
  sampleTemplateData,
  templateRoles,
  WELCOME_TEMPLATE,
} from '../functions/lib/templates';
import { emailSender } from '../functions/lib/templates/sender';
import { syncTemplates } from '../local/ses-templates';
import { renderEmail, startSesEmulator } from '../test/support/ses-emulator';

export const DEFAULT_PREVIEW_DIR = fileURLToPath(new URL('../.local/preview/', import.meta.url));

export interface PreviewEmail {
  template: string;
  role: Role;
  subject: string;
  /** File names inside the preview folder. */
  htmlFile: string;
  textFile: string;
}

export interface PreviewWebPage {
  template: string;
  role: Role;
  /** File name inside the preview folder. */
  htmlFile: string;
}

export interface PreviewResult {
  outDir: string;
  indexFile: string;
  nation: SampleNation;
  organiser: SampleOrganiser;
  emails: PreviewEmail[];
  /** Web archive pages worth printing: the presiding officer cards. */
  webPages: PreviewWebPage[];
}

type SampleOrganiser = NonNullable<SampleOptions['organiser']>;
const ORGANISER_CHOICES: readonly SampleOrganiser[] = ['full', 'minimal', 'none'];

/** Templates whose web archive page is meant to be printed. */
export const PRINTABLE_TEMPLATES = [
  'presiding-officer-card-officials',
  'presiding-officer-card-polling-staff',
];

const AUDIENCE_HEADINGS: Record<Audience, string> = {
  candidates: 'Candidates and election agents',
  officials: 'Returning officers and electoral services teams',
  'polling-staff': 'Polling station and count staff',
};

const NATION_NAMES: Record<SampleNation, string> = {
  england: 'England',
  wales: 'Wales',
  scotland: 'Scotland',
  'northern-ireland': 'Northern Ireland',
  uk: 'the whole UK (a general election)',
};

const escapeHtml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// Sign-up emails first, then the default playbook's steps in the order they are sent.
const sendOrder = (names: string[]): string[] => {
  const steps = PLAYBOOKS[DEFAULT_PLAYBOOK_ID]?.steps.flatMap((step) => Object.values(step.templates)) ?? [];
  const order = [CONFIRM_TEMPLATE, WELCOME_TEMPLATE, ...steps];
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
};

export const generatePreview = async (
  options: { outDir?: string; nation?: SampleNation; organiser?: SampleOrganiser } = {},
): Promise<PreviewResult> => {
  const outDir = resolve(options.outDir ?? DEFAULT_PREVIEW_DIR);
  const nation = options.nation ?? 'england';
  const organiser = options.organiser ?? 'full';
  const who = { organiser, contact: organiser === 'minimal' ? 'email-only' : 'full' } as const;
  mkdirSync(outDir, { recursive: true });
  // Clear only what an earlier run wrote, so a stale template never lingers in the index.
  for (const file of readdirSync(outDir)) {
    if (/\.(html|txt)$/.test(file)) rmSync(join(outDir, file));
  }

  const templates = loadTemplates();
  const ses = await startSesEmulator();
  const emails: PreviewEmail[] = [];
  const webPages: PreviewWebPage[] = [];
  try {
    // Create or update: the emulator's store is per process, and a second preview finds them there.
    await syncTemplates(ses.client, '', templates);
    for (const template of templates) {
      for (const role of templateRoles(template.name)) {
        // Welcome as a late sign-up gets it, so the missed-reminders list shows too.
        const data = sampleTemplateData(role, { template: template.name, nation, withMissed: true, ...who });
        const email = await renderEmail(ses.client, template.name, data);
        const base = `${template.name}--${role}`;
        writeFileSync(join(outDir, `${base}.html`), email.html);
        writeFileSync(join(outDir, `${base}.txt`), email.text);
        emails.push({
          template: template.name,
          role,
          subject: email.subject,
          htmlFile: `${base}.html`,
          textFile: `${base}.txt`,
        });
        if (PRINTABLE_TEMPLATES.includes(template.name)) {
          const web = sampleTemplateData(role, { template: template.name, nation, channel: 'web', ...who });
          const page = await renderEmail(ses.client, template.name, web);
          writeFileSync(join(outDir, `${base}--web.html`), page.html);
          webPages.push({ template: template.name, role, htmlFile: `${base}--web.html` });
        }
      }
    }
  } finally {
    await ses.close();
  }

  const indexFile = join(outDir, 'index.html');
  const sender = emailSender(organiser === 'none' ? {} : SAMPLE_ORGANISER);
  writeFileSync(indexFile, renderIndex(emails, webPages, nation, sender));
  return { outDir, indexFile, nation, organiser, emails, webPages };
};

const renderIndex = (
  emails: PreviewEmail[],
  webPages: PreviewWebPage[],
  nation: SampleNation,
  sender: ReturnType<typeof emailSender>,
): string => {
  const sections = AUDIENCES.map((audience) => {
    const roles = rolesOf(audience);
    const names = sendOrder([
      ...new Set(emails.filter((e) => roles.includes(e.role)).map((e) => e.template)),
    ]);
    const rows = names.map((name) => {
      const forName = emails.filter((e) => e.template === name && roles.includes(e.role));
      const links = forName
        .map((e) => {
          const web = webPages.find((p) => p.template === e.template && p.role === e.role);
          const webLink = web ? `, <a href="${escapeHtml(web.htmlFile)}">web page (printable)</a>` : '';
          return `<li>${escapeHtml(ROLE_LABELS[e.role])}: <a href="${escapeHtml(e.htmlFile)}">HTML</a>, <a href="${escapeHtml(e.textFile)}">plain text</a>${webLink}</li>`;
        })
        .join('\n          ');
      return `      <li>
        <h3><code>${escapeHtml(name)}</code></h3>
        <p>${escapeHtml(forName[0]?.subject ?? '')}</p>
        <ul>
          ${links}
        </ul>
      </li>`;
    });
    return `  <section id="${audience}">
    <h2>${escapeHtml(AUDIENCE_HEADINGS[audience])}</h2>
    <ol>
${rows.join('\n')}
    </ol>
  </section>`;
  });
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Email template previews</title>
  <style>
    body { font-family: Arial, Helvetica, sans-serif; color: #0b0c0c; max-width: 960px; margin: 0 auto; padding: 0 15px 40px; line-height: 1.5; }
    a { color: #1d70b8; }
    h3 { margin: 20px 0 0; font-size: 18px; }
    h3 + p { margin: 0; }
    ol > li { margin-bottom: 10px; }
  </style>
</head>
<body>
  <h1>Email template previews</h1>
  <p>${emails.length} emails, rendered by the local SES emulator with sample data: ${escapeHtml(SAMPLE_CAMPAIGN_NAME)}, polling day ${escapeHtml(SAMPLE_POLL_DATE)}, in ${escapeHtml(NATION_NAMES[nation])}.</p>
  <p>From: ${escapeHtml(sender.displayName)}${sender.replyTo ? `, replies to ${escapeHtml(sender.replyTo)}` : ', no Reply-To (no organiser)'}.</p>
${sections.join('\n')}
</body>
</html>
`;
};

// Run as a script (not when imported by tests).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      nation: { type: 'string', default: 'england' },
      organiser: { type: 'string', default: 'full' },
    },
  });
  const nation = values.nation as SampleNation;
  const organiser = values.organiser as SampleOrganiser;
  if (!ORGANISER_CHOICES.includes(organiser)) {
    console.error(`--organiser must be one of: ${ORGANISER_CHOICES.join(', ')}`);
    process.exit(2);
  }
  if (!(Object.keys(NATION_NAMES) as string[]).includes(nation)) {
    console.error(`--nation must be one of: ${Object.keys(NATION_NAMES).join(', ')}`);
    process.exit(2);
  }
  const result = await generatePreview({ outDir: positionals[0], nation, organiser });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`Wrote ${result.emails.length} previews in ${seconds}s. Open ${result.indexFile}`);
}
