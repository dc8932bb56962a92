/**
 * Renders every template through the SES emulator's TestRenderEmailTemplate (strict, like SES) for
 * every role it serves, in every nation (no flag, inScotland, inNorthernIreland), as an email with
 * and without a name and as its web archive page, and checks what a reader would get.
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audienceOf, type Role, roleWithArticle } from '../../../functions/lib/domain/roles';
import {
  CONFIRM_TEMPLATE,
  type EmailTemplate,
  isAllowedLink,
  loadTemplates,
  type MissedReminder,
  optionalVariables,
  SAMPLE_CONTACTS,
  SAMPLE_NAME,
  SAMPLE_ORGANISER,
  type SampleNation,
  sampleTemplateData,
  TEMPLATE_CONTRACTS,
  type TemplateData,
  templateKind,
  templateRoles,
  WELCOME_TEMPLATE,
} from '../../../functions/lib/templates';
import { emailSender } from '../../../functions/lib/templates/sender';
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
  nation: SampleNation;
  channel: 'email' | 'web';
  withName: boolean;
  withMissed: boolean;
  organiser: 'full' | 'minimal' | 'none';
  contact: 'full' | 'email-only' | 'none';
  data: TemplateData;
}

type Variant = Omit<Case, 'template' | 'role' | 'data'>;
const templates = loadTemplates();
// Every campaign since organisers were asked for has one; the contact and the organiser's phone and
// website are optional; campaigns from before have no organiser at all.
const ORGANISER_VARIANTS = [
  { organiser: 'minimal', contact: 'email-only' },
  { organiser: 'none', contact: 'none' },
] as const;
const variants = (template: EmailTemplate): Variant[] => {
  const kind = templateKind(template.name);
  const full = { organiser: 'full', contact: 'full' } as const;
  if (kind === 'confirm')
    return [full, ...ORGANISER_VARIANTS].map((who) => ({
      nation: 'england' as const,
      channel: 'email' as const,
      withName: false,
      withMissed: false,
      ...who,
    }));
  if (kind === 'welcome')
    return [
      ...[true, false].flatMap((withName) =>
        [true, false].map((withMissed) => ({
          nation: 'england' as const,
          channel: 'email' as const,
          withName,
          withMissed,
          ...full,
        })),
      ),
      ...ORGANISER_VARIANTS.map((who) => ({
        nation: 'england' as const,
        channel: 'email' as const,
        withName: true,
        withMissed: false,
        ...who,
      })),
    ];
  return [
    ...(['england', 'scotland', 'northern-ireland'] as const).flatMap((nation) => [
      { nation, channel: 'email' as const, withName: true, withMissed: false, ...full },
      { nation, channel: 'email' as const, withName: false, withMissed: false, ...full },
      { nation, channel: 'web' as const, withName: false, withMissed: false, ...full },
    ]),
    ...ORGANISER_VARIANTS.flatMap((who) => [
      { nation: 'england' as const, channel: 'email' as const, withName: true, withMissed: false, ...who },
      { nation: 'england' as const, channel: 'web' as const, withName: false, withMissed: false, ...who },
    ]),
  ];
};
const cases: Case[] = templates.flatMap((template) =>
  templateRoles(template.name).flatMap((role) =>
    variants(template).map((variant) => ({
      template,
      role,
      ...variant,
      data: sampleTemplateData(role, { template: template.name, ...variant }),
    })),
  ),
);
// The steps that tell people to contact the police: each names the audience's local contact.
const CONTACT_STEPS = new Set([
  'know-your-police-contact-candidates',
  'final-checklist-candidates',
  'polling-day-candidates',
  'keep-records-candidates',
  'police-contacts-and-risks-officials',
  'candidate-safety-briefing-officials',
  'polling-day-searches-officials',
  'after-the-count-officials',
  'venues-and-count-plan-officials',
  'presiding-officer-card-officials',
  'presiding-officer-card-polling-staff',
]);
const label = (c: Case) =>
  `${c.template.name} as ${c.role}, ${c.nation}, ${c.channel}${c.withName ? '' : ' (no name)'}${c.withMissed ? ' (missed)' : ''}, organiser ${c.organiser}, contact ${c.contact}`;

let ses: SesEmulator;
// A client that retries: after the long render pass the emulator may have closed an idle
// keep-alive socket, which the shared client (maxAttempts 1) would report as ECONNRESET.
let client: SESv2Client;
const rendered = new Map<Case, RenderedEmail>();

beforeAll(async () => {
  ses = await startSesEmulator();
  client = new SESv2Client({
    endpoint: ses.endpoint,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
  await putTemplates(client, templates);
  for (const c of cases) rendered.set(c, await renderEmail(client, c.template.name, c.data));
}, 120_000);
afterAll(async () => {
  client?.destroy();
  await ses?.close();
});

const get = (c: Case): RenderedEmail => {
  const email = rendered.get(c);
  if (!email) throw new Error(`not rendered: ${label(c)}`);
  return email;
};

const anchorsOf = (html: string) =>
  [...html.matchAll(/<a\b[^>]*\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)].map((m) => ({
    href: decode(m[1] ?? ''),
    text: collapse(decode((m[2] ?? '').replace(/<[^>]+>/g, ' '))),
  }));
const hrefsOf = (html: string) => anchorsOf(html).map((a) => a.href);
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
const visibleText = (html: string) =>
  collapse(
    decode(
      visibleHtml(html)
        .replace(/<\/?(a|strong|span|b|em)\b[^>]*>/g, '')
        .replace(/<[^>]+>/g, ' '),
    ),
  );
// What a reader sees in either part: the HTML's visible text and the plain text without its URLs.
const readable = (email: RenderedEmail) =>
  `${visibleText(email.html)}\n${collapse(email.text.replace(/https:\/\/\S+/g, ' '))}`;
// Blocks a reader sees as units: headings, paragraphs, list items, the action box, links.
const htmlBlocks = (html: string) =>
  [
    ...visibleHtml(html).matchAll(
      /<(h1|h2|p|li|a)\b[^>]*>([\s\S]*?)<\/\1>|<div class="action"[^>]*>([\s\S]*?)<\/div>/g,
    ),
  ]
    .map((m) => words((m[2] ?? m[3] ?? '').replace(/<[^>]+>/g, ' ')))
    .filter(Boolean);
const sentences = (value: string) => value.split(/(?<=[.;!?])\s+|\n\s*\n|\n- /);
const missedOf = (c: Case) => (c.data.missed ?? []) as MissedReminder[];
// Links to the service itself: the recipient's own links and the web copies of reminders.
const ownLinks = (c: Case) =>
  [
    c.data.unsubscribeUrl,
    c.data.manageUrl,
    c.data.confirmUrl,
    c.data.webVersionUrl,
    ...missedOf(c).map((m) => m.url),
  ].filter((link): link is string => typeof link === 'string');

describe.each(cases.map((c) => [label(c), c] as const))('%s', (_label, c) => {
  it('renders every placeholder, in subject, HTML and text', () => {
    const email = get(c);
    for (const part of [email.subject, email.html, email.text]) {
      expect(part).not.toMatch(/\{\{|\}\}/);
    }
    expect(`${email.html}${email.text}`).not.toMatch(/\bundefined\b|\bnull\b|\[object Object\]/);
  });

  it('has a short subject that matches the HTML title', () => {
    const email = get(c);
    // An urgent alert's subject is the approver's, passed as data.
    expect(email.subject).toBe(
      templateKind(c.template.name) === 'alert' ? c.data.alertSubject : c.template.subject,
    );
    expect(email.subject.length).toBeLessThan(MAX_SUBJECT);
    expect(decode(/<title>([\s\S]*?)<\/title>/.exec(email.html)?.[1] ?? '')).toBe(email.subject);
  });

  it('is valid HTML with lang="en-GB"', () => {
    const email = get(c);
    expect(email.html).toMatch(/<html[^>]* lang="en-GB"/);
    expect(validateEmailHtml(email.html).join('\n')).toBe('');
  });

  it('links over https to the service, allowed official sites or the organiser, each showing where it goes; phones as tel:, addresses as mailto:', () => {
    const email = get(c);
    const own = ownLinks(c);
    const website = c.data.organiserWebsite as string | undefined;
    const links = [...anchorsOf(email.html), ...urlsOf(email.text).map((href) => ({ href, text: '' }))];
    expect(links.length).toBeGreaterThan(0);
    for (const { href, text } of links) {
      if (href.startsWith('tel:')) {
        expect(href, text).toMatch(/^tel:\d+$/);
        expect(text.replace(/\s/g, ''), href).toBe(href.slice(4));
        continue;
      }
      if (href.startsWith('mailto:')) {
        expect(href.slice(7), text).toMatch(/^[^\s@]+@[^\s@]+$/);
        expect([c.data.organiserEmail, c.data.contactEmail]).toContain(href.slice(7));
        expect(text, href).toBe(href.slice(7));
        continue;
      }
      expect(href.startsWith('https://'), href).toBe(true);
      if (own.includes(href)) continue;
      expect(isAllowedLink(href, website), href).toBe(true);
      // In the HTML, a link's visible text names where it goes (the text part shows the URL).
      if (text && href === website) expect(text, href).toBe(c.data.organiserDomain);
      else if (text) expect(text, href).toContain(`(${new URL(href).hostname.replace(/^www\./, '')})`);
    }
  });

  it('names the organiser in the header, as the From line does, and says who sent it and how to reach them', () => {
    const email = get(c);
    const { displayName } = emailSender(c.data as { organiserName?: string; organiserEmail?: string });
    // The banner, first in both parts, is the From line's display name.
    expect(visibleText(email.html).startsWith(displayName), visibleText(email.html).slice(0, 80)).toBe(true);
    expect(email.text.startsWith(`${displayName}\n`), email.text.slice(0, 80)).toBe(true);
    const text = readable(email);
    if (c.organiser === 'none') {
      expect(displayName).toBe('Election security reminders');
      expect(text).not.toMatch(/To contact|sends these reminders|sent this email/);
      return;
    }
    const organiser = SAMPLE_ORGANISER.organiserName;
    expect(displayName).toBe(`${organiser} election security reminders`);
    for (const part of [visibleText(email.html), collapse(email.text)]) {
      expect(part).toContain(
        c.template.name === CONFIRM_TEMPLATE
          ? `${organiser} sent this email`
          : `${organiser} sends these reminders.`,
      );
      expect(part).toContain(`To contact ${organiser}`);
      expect(part).toContain(`Email: ${SAMPLE_ORGANISER.organiserEmail}`);
    }
    expect(hrefsOf(email.html)).toContain(`mailto:${SAMPLE_ORGANISER.organiserEmail}`);
    if (c.organiser === 'full') {
      expect(anchorsOf(email.html)).toContainEqual({
        href: `tel:${SAMPLE_ORGANISER.organiserTel}`,
        text: SAMPLE_ORGANISER.organiserPhone,
      });
      expect(anchorsOf(email.html)).toContainEqual({
        href: SAMPLE_ORGANISER.organiserWebsite,
        text: SAMPLE_ORGANISER.organiserDomain,
      });
      expect(email.text).toContain(
        `Phone: ${SAMPLE_ORGANISER.organiserPhone}\nWebsite: ${SAMPLE_ORGANISER.organiserDomain}\n${SAMPLE_ORGANISER.organiserWebsite}`,
      );
    } else {
      expect(text).not.toMatch(/Phone: 01632 960000|Website:/);
    }
    // Replies reach the organiser; the web page has no one to reply to.
    if (c.channel === 'web') expect(text).not.toMatch(/reply to this email/);
    else expect(collapse(email.text)).toContain(`To contact ${organiser}, reply to this email or use:`);
  });

  if (CONTACT_STEPS.has(c.template.name)) {
    it('gives the local police contact where it tells people to contact the police, or the general advice without one', () => {
      const email = get(c);
      const contact = SAMPLE_CONTACTS[audienceOf(c.role)];
      const text = readable(email);
      if (c.contact === 'none') {
        expect(text).not.toContain(contact.contactName);
        expect(text).toMatch(/police contact|police force's contact|SPOC/i);
        return;
      }
      // The card email only points to the printable card on the web, which carries the contact.
      if (c.template.name.startsWith('presiding-officer-card') && c.channel === 'email') {
        expect(text).toContain('with the police contact for the day on it');
        return;
      }
      for (const part of [visibleText(email.html), collapse(email.text)])
        expect(part).toContain(contact.contactName);
      if (c.contact === 'full') {
        expect(anchorsOf(email.html)).toContainEqual({
          href: `tel:${contact.contactPhone.replace(/\s/g, '')}`,
          text: contact.contactPhone,
        });
        expect(email.text).toContain(contact.contactPhone);
      } else {
        expect(text).not.toContain(contact.contactPhone);
      }
      // The printable card gives one way to call; the emails give every way there is.
      if (c.contact === 'email-only' || !c.template.name.startsWith('presiding-officer-card')) {
        expect(anchorsOf(email.html)).toContainEqual({
          href: `mailto:${contact.contactEmail}`,
          text: contact.contactEmail,
        });
        expect(email.text).toContain(contact.contactEmail);
      }
    });
  }

  it('has the standing line: no passwords, payments or sign-ins, and where its links go', () => {
    const hosts = `${c.organiser === 'full' ? `${SAMPLE_ORGANISER.organiserDomain}, ` : ''}gov.uk, police.uk, ncsc.gov.uk, electoralcommission.org.uk and local.gov.uk.`;
    for (const part of [visibleText(get(c).html), collapse(get(c).text)]) {
      expect(part).toContain(
        `We will never ask for your password, a payment or a sign-in. Our links only go to ${hosts}`,
      );
    }
  });

  it('has a complete plain-text part: same web links and words as the HTML', () => {
    const email = get(c);
    const webLinks = hrefsOf(email.html).filter((href) => href.startsWith('https://'));
    expect(new Set(urlsOf(email.text))).toEqual(new Set(webLinks));
    const text = words(email.text);
    for (const block of htmlBlocks(email.html)) expect(text).toContain(block);
    const htmlWords = new Set(words(visibleHtml(email.html).replace(/<[^>]+>/g, ' ')).split(' '));
    // Ordered lists are numbered in the text; the HTML numbers them with <ol>.
    const onlyInText = words(email.text.replace(/^\d+\. /gm, ''))
      .split(' ')
      .filter((word) => !htmlWords.has(word));
    expect(onlyInText).toEqual([]);
    expect(email.text).not.toMatch(/<[a-z/!]/i);
  });

  it(`wraps the plain text at ${MAX_TEXT_LINE} columns (a lone URL may run longer)`, () => {
    const tooLong = get(c)
      .text.split('\n')
      .filter((line) => line.length > MAX_TEXT_LINE && !/^https:\/\/\S+$/.test(line));
    expect(tooLong.join('\n')).toBe('');
    expect(get(c).text).not.toMatch(/\n\n\n\n|[ \t]+$/m);
  });

  it('greets the person by name, or reads well without one', () => {
    const email = get(c);
    if (c.withName) {
      expect(email.text).toMatch(new RegExp(`^Hello ${SAMPLE_NAME},$`, 'm'));
      expect(visibleText(email.html)).toContain(`Hello ${SAMPLE_NAME},`);
    } else {
      expect(readable(email)).not.toContain(SAMPLE_NAME);
    }
    expect(`${email.html}${email.text}`).not.toMatch(/(Hello|Dear) ,|(Hello|Dear) {2}/);
  });

  it('says "call 999, clear the area, and do not open or handle it" wherever it mentions a suspicious item', () => {
    for (const sentence of sentences(readable(get(c)))) {
      if (/suspicious item/i.test(sentence))
        expect(sentence).toMatch(/call 999, clear the area, and do not open or handle it/);
    }
  });

  it('never asks people to forward it, never says "Tick", and shows no old addresses or vague dates', () => {
    const text = readable(get(c));
    expect(text).not.toMatch(/(?<!not )forward (this|it)\b/i);
    expect(text).not.toMatch(/\btick\b/i);
    expect(text).not.toMatch(/may-2021|end of next week/i);
    expect(text).not.toMatch(/for anything else, call/i);
  });

  if (c.template.name !== CONFIRM_TEMPLATE && c.template.name !== WELCOME_TEMPLATE) {
    it("states times as dates, so it stays true on the web page and in a late reader's inbox", () => {
      // "Today:" as an instruction is fine; "closed at 4pm today" or "tomorrow" as a fact is not.
      const { subject } = get(c);
      expect(`${subject}\n${readable(get(c))}`).not.toMatch(
        /\btonight\b|\btomorrow\b|\bweek today\b|\d(am|pm) today\b|\bweek to go\b/i,
      );
    });
  }

  it('tells only people who stand for a party to ask their party', () => {
    for (const sentence of sentences(readable(get(c)))) {
      if (/\bparty\b/i.test(sentence))
        expect(sentence, sentence).toMatch(
          /\bif (you|your candidate) (stand|stands|campaign) for (a|one)\b/i,
        );
    }
  });

  if (c.role === 'agent') {
    it('writes to the agent, not as if they were the candidate', () => {
      const text = readable(get(c));
      expect(text).not.toMatch(
        /deepfake of you\b|pretends to be you\b|your name as a candidate|your nomination papers|fixated on you\b|where you live\b/i,
      );
    });
  }
  if (c.role === 'candidate') {
    it('writes to the candidate, not to an agent', () => {
      expect(readable(get(c))).not.toMatch(/your candidate/i);
    });
  }

  if (c.nation === 'northern-ireland') {
    it('names the Chief Electoral Officer or the Electoral Office, never a returning officer at a council', () => {
      // The role label is the reader's own choice of words ("a returning officer"), not the text's.
      const text = readable(get(c)).replaceAll(roleWithArticle(c.role), '');
      expect(text).not.toMatch(/returning officer|at your council|the council/i);
      expect(text).not.toMatch(/cps\.gov\.uk|Crown Prosecution Service/i);
    });
  } else {
    it('gives no Northern Ireland-only guidance outside Northern Ireland', () => {
      const text = readable(get(c));
      expect(text).not.toMatch(/psni|Chief Electoral Officer|Electoral Office for Northern Ireland/i);
    });
  }

  if (c.nation === 'scotland') {
    it('sends fraud and cyber crime to Police Scotland on 101, not Report Fraud', () => {
      const email = get(c);
      expect(readable(email)).not.toMatch(/Report Fraud|reportfraud|0300 123 2040|Action Fraud/);
      expect(hrefsOf(email.html).join(' ')).not.toMatch(/reportfraud/);
    });
  } else {
    it('mentions Report Fraud only with the Scottish route beside it, when no nation is named', () => {
      const text = readable(get(c));
      if (c.nation === 'england' && /Report Fraud/.test(text))
        expect(text).toMatch(/In Scotland, report it to Police Scotland on 101/);
    });
  }

  if (c.template.name === CONFIRM_TEMPLATE) {
    it('has the confirm link, says what happens if ignored, and no unsubscribe link', () => {
      const email = get(c);
      expect(hrefsOf(email.html)).toContain(c.data.confirmUrl);
      expect(email.text).toContain(c.data.confirmUrl);
      // Whoever holds the mailbox can see or delete what someone typed, without confirming.
      expect(anchorsOf(email.html)).toContainEqual({ href: c.data.manageUrl, text: 'Manage your reminders' });
      expect(email.text).toContain(`\n${c.data.manageUrl}\n`);
      for (const part of [email.html, email.text]) {
        expect(part).not.toMatch(/unsubscribe/i);
        expect(collapse(part)).toMatch(/ignore this email/);
        expect(collapse(part)).toMatch(/expire in 7 days/);
      }
    });
  } else if (c.channel === 'email') {
    it('says why they get it, how to share the advice, and has the unsubscribe link, in HTML and text', () => {
      const email = get(c);
      const why = `You get this because you signed up as ${roleWithArticle(c.role)} for ${c.data.campaignName}.`;
      for (const part of [visibleText(email.html), collapse(email.text)]) {
        expect(part).toContain(why);
        expect(part).toContain('For non-emergencies, call the police on 101.');
        expect(part).toContain('share the sign-up page for these reminders with your team');
      }
      expect(hrefsOf(email.html)).toContain(c.data.unsubscribeUrl);
      expect(email.text).toContain(c.data.unsubscribeUrl);
      expect(anchorsOf(email.html)).toContainEqual({ href: c.data.manageUrl, text: 'Manage your reminders' });
      expect(email.text).toContain(`\n${c.data.manageUrl}\n`);
      expect(collapse(email.text)).toContain('Manage your reminders');
      if (c.data.webVersionUrl) {
        expect(anchorsOf(email.html)).toContainEqual({
          href: c.data.webVersionUrl,
          text: 'Read this email on the web',
        });
        expect(email.text).toContain(`Read this email on the web:\n${c.data.webVersionUrl}`);
      }
    });
  } else {
    it('reads as a web page: no unsubscribe link, no web link, no "you get this"', () => {
      const email = get(c);
      const text = readable(email);
      expect(text).not.toMatch(
        /unsubscribe|manage your reminders|read this email on the web|you get this because/i,
      );
      expect(text).toContain(`This reminder went to people who signed up as ${roleWithArticle(c.role)}`);
    });
  }
});

describe('content at each moment', () => {
  const find = (template: string, role: Role, nation: SampleNation, channel: 'email' | 'web' = 'email') => {
    const c = cases.find(
      (x) =>
        x.template.name === template &&
        x.role === role &&
        x.nation === nation &&
        x.channel === channel &&
        (channel === 'web' || x.withName),
    );
    if (!c) throw new Error(`no case for ${template} ${role} ${nation} ${channel}`);
    return { c, email: get(c), text: readable(get(c)) };
  };

  it.each(['candidate', 'agent'] as const)(
    'lock-down-profiles (before nominations close) reminds %s about the home address form and the deadline',
    (role) => {
      for (const nation of ['england', 'scotland', 'northern-ireland'] as const) {
        const { c, text } = find('lock-down-profiles-candidates', role, nation);
        expect(text).toContain(`Before nominations close at 4pm on ${c.data.nominationsClose}`);
        expect(text).toMatch(/home address form/);
        expect(text).toMatch(/ballot paper and the statement of persons nominated then show only the area/);
        if (role === 'agent') expect(text).toMatch(/make sure your candidate knows/i);
      }
    },
  );

  it.each([
    ['know-your-police-contact-candidates', 'candidate'],
    ['know-your-police-contact-candidates', 'agent'],
    ['candidate-safety-briefing-officials', 'returning-officer'],
  ] as const)(
    '%s (16:30 on close of nominations day) says nominations closed at 4pm and when the SOPN is due',
    (template, role) => {
      for (const nation of ['england', 'scotland', 'northern-ireland'] as const) {
        const { c, text } = find(template, role, nation);
        expect(text).toContain(`Nominations closed at 4pm on ${c.data.nominationsClose}`);
        expect(text).toContain(`by 4pm on ${c.data.sopnPublished}`);
      }
    },
  );

  it('candidates get the CPS guide and GB joint guidance in Great Britain, the PSNI guidance in Northern Ireland', () => {
    for (const role of ['candidate', 'agent'] as const) {
      for (const nation of ['england', 'scotland'] as const) {
        const links = hrefsOf(find('know-your-police-contact-candidates', role, nation).email.html);
        expect(links).toContain('https://cps.gov.uk/cy/node/23675');
        expect(links).toContain(
          'https://www.gov.uk/government/collections/candidate-security-guidance-collection',
        );
        expect(links.some((l) => l.includes('psni.police.uk'))).toBe(false);
      }
      const ni = hrefsOf(find('know-your-police-contact-candidates', role, 'northern-ireland').email.html);
      expect(ni.some((l) => l.includes('psni.police.uk'))).toBe(true);
      expect(ni.some((l) => l.includes('cps.gov.uk'))).toBe(false);
    }
  });

  it('officials in Northern Ireland read "the Chief Electoral Officer" where others read "the returning officer"', () => {
    for (const role of ['returning-officer', 'election-staff'] as const) {
      const gb = find('police-contacts-and-risks-officials', role, 'england').text;
      const ni = find('police-contacts-and-risks-officials', role, 'northern-ireland').text;
      expect(gb).toContain('The returning officer is responsible');
      expect(ni).toContain('The Chief Electoral Officer is responsible');
    }
  });

  it('fraud goes to Report Fraud, or to Police Scotland on 101 in Scotland', () => {
    expect(find('spot-phishing-and-fakes-candidates', 'candidate', 'scotland').text).toContain(
      'Report fraud and cyber crime to Police Scotland on 101.',
    );
    expect(find('spot-phishing-and-fakes-candidates', 'candidate', 'northern-ireland').text).toMatch(
      /to Report Fraud, online or on 0300 123 2040\./,
    );
    const england = find('spot-phishing-and-fakes-candidates', 'candidate', 'england').text;
    expect(england).toMatch(
      /to Report Fraud, online or on 0300 123 2040\. In Scotland, report it to Police Scotland on 101\./,
    );
  });

  it('agents read about a deepfake of their candidate; candidates about one of themselves', () => {
    expect(find('spot-phishing-and-fakes-candidates', 'agent', 'england').text).toContain(
      'If a deepfake of your candidate appears',
    );
    expect(find('spot-phishing-and-fakes-candidates', 'candidate', 'england').text).toContain(
      'If one appears that pretends to be you',
    );
  });

  it.each([
    ['presiding-officer-card-officials', 'returning-officer'],
    ['presiding-officer-card-officials', 'election-staff'],
    ['presiding-officer-card-polling-staff', 'polling-staff'],
  ] as const)('%s: the email links to the printable card; the web page is the card', (template, role) => {
    for (const nation of ['england', 'scotland', 'northern-ireland'] as const) {
      const email = find(template, role, nation);
      expect(anchorsOf(email.email.html)).toContainEqual({
        href: email.c.data.webVersionUrl,
        text: 'Open the printable card',
      });
      expect(email.email.text).toContain(`Open the printable card:\n${email.c.data.webVersionUrl}`);
      expect(email.text).not.toMatch(/Before polls open/);
      const web = find(template, role, nation, 'web');
      expect(web.email.html).toMatch(/<h1[^>]*>Polling station security card<\/h1>/);
      expect(web.text).toMatch(/Before polls open/);
      expect(web.text).toContain(`Polling day: ${web.c.data.pollDate}.`);
      expect(web.text).toMatch(/call 999, clear the area, and do not open or handle it/);
      expect(web.text).toContain(
        nation === 'northern-ireland'
          ? 'Electoral Office for Northern Ireland: ____'
          : "Returning officer's team: ____",
      );
    }
  });

  it('polling-day emails (06:00) say polls open at 7am', () => {
    for (const [template, role] of [
      ['polling-day-candidates', 'candidate'],
      ['polling-day-searches-officials', 'returning-officer'],
      ['polling-day-searches-polling-staff', 'polling-staff'],
    ] as const) {
      expect(find(template, role, 'england').text).toMatch(/Polls (are )?open (from )?(at )?7am/);
    }
  });

  it('the count emails (18:00) allow for counts tonight or tomorrow', () => {
    for (const [template, role] of [
      ['count-security-officials', 'election-staff'],
      ['count-security-polling-staff', 'polling-staff'],
    ] as const) {
      expect(find(template, role, 'england').text).toMatch(
        /Some counts start as soon as the ballot boxes arrive; others start the next day/,
      );
    }
  });
});

describe('welcome', () => {
  const welcomeCases = cases.filter((c) => c.template.name === WELCOME_TEMPLATE);

  it.each(welcomeCases.filter((c) => c.withMissed).map((c) => [label(c), c] as const))(
    '%s lists each missed reminder with its web link, in HTML and text',
    (_label, c) => {
      const email = get(c);
      const missed = missedOf(c);
      expect(missed.length).toBeGreaterThan(0);
      expect(visibleText(email.html)).toContain('Reminders you have missed');
      for (const item of missed) {
        expect(anchorsOf(email.html)).toContainEqual({ href: item.url, text: item.title });
        expect(email.text).toContain(`- ${item.title}:\n${item.url}\n`);
      }
    },
  );

  it.each(welcomeCases.filter((c) => !c.withMissed).map((c) => [label(c), c] as const))(
    '%s has no missed-reminders section',
    (_label, c) => {
      expect(readable(get(c))).not.toMatch(/missed/i);
    },
  );

  it('renders an empty list like no list', async () => {
    const data = { ...sampleTemplateData('candidate', { template: WELCOME_TEMPLATE }), missed: [] };
    const email = await renderEmail(client, WELCOME_TEMPLATE, data);
    expect(readable(email)).not.toMatch(/missed/i);
  });
});

describe('confirm-subscription', () => {
  it('never shows a name typed into the form, even if one is sent', async () => {
    const data = { ...sampleTemplateData('candidate', { template: CONFIRM_TEMPLATE }), name: 'Mallory <b>' };
    const email = await renderEmail(client, CONFIRM_TEMPLATE, data);
    expect(`${email.html}${email.text}`).not.toContain('Mallory');
    expect(TEMPLATE_CONTRACTS.confirm.required).not.toContain('name' as never);
  });
});

describe('rendering is strict, like SES', () => {
  it.each(templates.map((template) => [template.name, template] as const))(
    '%s renders with only its required variables, and fails without any one it uses',
    async (_name, template) => {
      const full = sampleTemplateData('candidate', { template: template.name });
      const optional = optionalVariables(template.name) as readonly string[];
      // Optional variables are only used inside {{#if}}: the template renders without them.
      const required = Object.fromEntries(Object.entries(full).filter(([key]) => !optional.includes(key)));
      await expect(renderEmail(client, template.name, required)).resolves.toBeDefined();
      // Every plain {{variable}} the template renders, bar the optional ones, is needed.
      const source = `${template.subject}${template.html}${template.text}`;
      const used = [...new Set([...source.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? ''))].filter(
        (key) => key !== 'else' && key !== 'title' && key !== 'url' && !optional.includes(key),
      );
      expect(used.length).toBeGreaterThan(0);
      for (const variable of used) {
        expect(TEMPLATE_CONTRACTS[templateKind(template.name)].required, variable).toContain(variable);
        const { [variable as keyof TemplateData]: _dropped, ...rest } = required;
        await expect(renderEmail(client, template.name, rest), variable).rejects.toThrow(SesRenderError);
      }
    },
  );

  it('does not HTML-escape data (SES renders raw), so names reach the HTML as sent', async () => {
    const data = { ...sampleTemplateData('candidate', { template: 'welcome' }), name: 'Sam & Jo' };
    const email = await renderEmail(client, 'welcome', data);
    expect(email.html).toContain('Hello Sam & Jo,');
  });
});
