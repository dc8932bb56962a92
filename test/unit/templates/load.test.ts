import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIENCES, ROLES, rolesOf } from '../../../functions/lib/domain/roles';
import { PLAYBOOKS } from '../../../functions/lib/playbooks';
import {
  ALERT_TEMPLATE,
  ALLOWED_LINK_HOSTS,
  CONFIRM_TEMPLATE,
  DEFAULT_TEMPLATES_DIR,
  isAllowedLink,
  loadTemplates,
  SAMPLE_CONTACTS,
  SAMPLE_ORGANISER,
  sampleTemplateData,
  TEMPLATE_CONTRACTS,
  TemplateCompileError,
  TemplateSourceError,
  templateAudiences,
  templateKind,
  templateNames,
  templateRoles,
  templateVariables,
  WELCOME_TEMPLATE,
} from '../../../functions/lib/templates';
import { EXPECTED_STEPS } from './expected-steps';

describe('template set', () => {
  const names = templateNames();

  it('has a template for every step in the brief, for its audience', () => {
    for (const audience of AUDIENCES) {
      for (const step of EXPECTED_STEPS[audience]) expect(names).toContain(`${step}-${audience}`);
    }
    expect(names).toContain(CONFIRM_TEMPLATE);
    expect(names).toContain(WELCOME_TEMPLATE);
  });

  it('has a template for every audience of every step in every playbook', () => {
    const playbooks = Object.values(PLAYBOOKS);
    expect(playbooks.length).toBeGreaterThan(0);
    for (const playbook of playbooks) {
      for (const step of playbook.steps) {
        for (const [audience, template] of Object.entries(step.templates)) {
          expect(names, `${playbook.id} / ${step.key} / ${audience}`).toContain(template);
          // The template must speak to the same people the step is sent to.
          const stepRoles = step.roles.filter((role) => rolesOf(audience as never).includes(role));
          for (const role of stepRoles) expect(templateRoles(template)).toContain(role);
        }
      }
    }
  });

  it('has no stray templates: each is confirm, welcome, the urgent alert or a step of the reminder plan', () => {
    const planned = new Set<string>([CONFIRM_TEMPLATE, WELCOME_TEMPLATE, ALERT_TEMPLATE]);
    for (const audience of AUDIENCES) {
      for (const step of EXPECTED_STEPS[audience]) planned.add(`${step}-${audience}`);
    }
    expect(names.filter((name) => !planned.has(name))).toEqual([]);
  });

  it('maps names to audiences and roles', () => {
    expect(templateAudiences('secure-accounts-candidates')).toEqual(['candidates']);
    expect(templateRoles('secure-accounts-candidates')).toEqual(['candidate', 'agent']);
    expect(templateRoles('after-the-count-officials')).toEqual(['returning-officer', 'election-staff']);
    expect(templateRoles('count-security-polling-staff')).toEqual(['polling-staff']);
    expect(templateRoles(CONFIRM_TEMPLATE)).toEqual([...ROLES]);
    expect(templateRoles(WELCOME_TEMPLATE)).toEqual([...ROLES]);
  });
});

describe('loadTemplates', () => {
  it('compiles every template once, with a subject, HTML and text', () => {
    const templates = loadTemplates();
    expect(templates.map((t) => t.name)).toEqual(templateNames());
    for (const template of templates) {
      expect(template.subject.length, template.name).toBeGreaterThan(10);
      expect(template.html, template.name).toMatch(/^<!doctype html>/i);
      expect(template.text.trim().length, template.name).toBeGreaterThan(200);
      // The SES template name is the caller's business (it adds a per-stack prefix).
      expect(template.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });

  it('returns copies, so a caller cannot change the cached templates', () => {
    const [first] = loadTemplates();
    if (!first) throw new Error('no templates');
    first.subject = 'changed';
    expect(loadTemplates()[0]?.subject).not.toBe('changed');
  });

  it('uses only the variables the sender supplies for each template', () => {
    for (const template of loadTemplates()) {
      const source = `${template.subject}${template.html}${template.text}`;
      // Inside {{#each list}} names are the list item's fields; outside, the template's variables.
      const lists = [...source.matchAll(/\{\{#each (\w+)\}\}([\s\S]*?)\{\{\/each\}\}/g)];
      for (const [, list = '', inner = ''] of lists) {
        expect(templateVariables(template.name), template.name).toContain(list);
        for (const [, field] of inner.matchAll(/\{\{(?:this\.)?(\w+)\}\}/g)) {
          expect(TEMPLATE_CONTRACTS[templateKind(template.name)].lists, template.name).toHaveProperty(
            [list],
            expect.arrayContaining([field]),
          );
        }
      }
      const outside = source.replace(/\{\{#each \w+\}\}[\s\S]*?\{\{\/each\}\}/g, '');
      const used = new Set(
        [...outside.matchAll(/\{\{[#/]?(?:if |unless )?(\w+)\}\}/g)]
          .map((match) => match[1])
          .filter((name) => name !== 'else' && name !== 'if' && name !== 'unless'),
      );
      for (const variable of used)
        expect(templateVariables(template.name), template.name).toContain(variable);
    }
  });

  it('keeps the confirmation email free of the name typed into the form', () => {
    expect(templateVariables(CONFIRM_TEMPLATE)).not.toContain('name');
  });
});

describe('loadTemplates with broken sources', () => {
  let dir: string;
  const write = (file: string, content: string) => writeFileSync(join(dir, file), content);
  const mjml = (body: string, head = '<mj-title>A subject line</mj-title>') =>
    `<mjml lang="en-GB"><mj-head>${head}<mj-include path="./partials/head.mjml" /></mj-head><mj-body>${body}<mj-include path="./partials/footer.mjml" /></mj-body></mjml>`;
  const text = (name = 'broken') => write(`${name}.txt`, 'Hello{{#if name}} {{name}}{{/if}},\n');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'templates-'));
    cpSync(join(DEFAULT_TEMPLATES_DIR, 'partials'), join(dir, 'partials'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('compiles a minimal valid template', () => {
    write('ok.mjml', mjml('<mj-section><mj-column><mj-text>Hi</mj-text></mj-column></mj-section>'));
    text('ok');
    const [template] = loadTemplates({ dir });
    expect(template?.subject).toBe('A subject line');
    expect(template?.html).toContain('<title>A subject line</title>');
    expect(template?.text).toContain('{{unsubscribeUrl}}');
  });

  it('names the template when MJML rejects it', () => {
    write(
      'broken.mjml',
      mjml('<mj-section><mj-column><mj-text colour="red">Hi</mj-text></mj-column></mj-section>'),
    );
    text();
    expect(() => loadTemplates({ dir })).toThrow(TemplateCompileError);
    expect(() => loadTemplates({ dir })).toThrow(/"broken".*\n.*Attribute colour is illegal/);
  });

  it('names the template when an include is missing', () => {
    write('broken.mjml', mjml('<mj-include path="./partials/nope.mjml" />'));
    text();
    expect(() => loadTemplates({ dir })).toThrow(/Template "broken".*\n.*mj-include fails to read file/);
  });

  it('rejects a template without a subject', () => {
    write('broken.mjml', mjml('<mj-section><mj-column><mj-text>Hi</mj-text></mj-column></mj-section>', ''));
    text();
    expect(() => loadTemplates({ dir })).toThrow(TemplateSourceError);
    expect(() => loadTemplates({ dir })).toThrow(/"broken": no subject/);
  });

  it('rejects a template without a plain-text part', () => {
    write('broken.mjml', mjml('<mj-section><mj-column><mj-text>Hi</mj-text></mj-column></mj-section>'));
    expect(() => loadTemplates({ dir })).toThrow(/"broken": missing plain-text part broken\.txt/);
  });

  it.each([
    ['a misspelt variable', '{{nmae}}', /unknown variable "nmae"/],
    ['a variable this template does not get', '{{confirmUrl}}', /unknown variable "confirmUrl"/],
    ['a helper SES does not have', '{{#with name}}x{{/with}}', /unsupported Handlebars expression/],
    ['#each over a variable that is not a list', '{{#each name}}x{{/each}}', /"name" is not a list/],
    ['a list variable this template does not get', '{{#each missed}}x{{/each}}', /unknown variable "missed"/],
    ['a path outside a list', '{{campaignName.length}}', /unsupported Handlebars expression/],
    ['triple braces', '{{{name}}}', /stray or unsupported braces/],
    ['an unclosed block', '{{#if name}}x', /unclosed \{\{#if\}\}/],
    ['a partial', '{{> footer}}', /unsupported Handlebars expression/],
  ])('rejects %s', (_what, snippet, error) => {
    write(
      'broken.mjml',
      mjml(`<mj-section><mj-column><mj-text>${snippet}</mj-text></mj-column></mj-section>`),
    );
    text();
    expect(() => loadTemplates({ dir })).toThrow(error);
  });

  describe('{{#each}} over a list variable (welcome: missed)', () => {
    const welcome = (snippet: string) => {
      write(
        'welcome.mjml',
        mjml(`<mj-section><mj-column><mj-text>${snippet}</mj-text></mj-column></mj-section>`).replace(
          'partials/footer.mjml',
          'partials/footer-welcome.mjml',
        ),
      );
      text('welcome');
    };

    it('accepts the item fields, with or without this.', () => {
      welcome(
        '{{#if missed}}<ul>{{#each missed}}<li><a href="{{this.url}}">{{title}}</a></li>{{/each}}</ul>{{/if}}',
      );
      expect(loadTemplates({ dir })[0]?.html).toContain('{{#each missed}}');
    });

    it.each([
      [
        'a template variable inside the list',
        '{{#each missed}}{{name}}{{/each}}',
        /"name" is not a field of the list item/,
      ],
      ['an unknown field', '{{#each missed}}{{this.nope}}{{/each}}', /"this.nope" is not a field/],
      ['a field outside the list', '{{title}}', /unknown variable "title"/],
      ['the list as text', '{{missed}}', /the list "missed" can only be used with #each or #if/],
      [
        'an unclosed list (the footer then reads as inside it)',
        '{{#each missed}}{{url}}',
        /unclosed \{\{#each\}\}|"(role|organiser\w+)" is not a field of the list item/,
      ],
      ['a list closed as an if', '{{#each missed}}{{url}}{{/if}}', /unbalanced block/],
    ])('rejects %s', (_what, snippet, error) => {
      welcome(snippet);
      expect(() => loadTemplates({ dir })).toThrow(error);
    });
  });

  it('rejects a text part that drifts from the allowed variables', () => {
    write('broken.mjml', mjml('<mj-section><mj-column><mj-text>Hi</mj-text></mj-column></mj-section>'));
    write('broken.txt', 'Vote on {{polldate}}\n');
    expect(() => loadTemplates({ dir })).toThrow(/"broken": text: unknown variable "polldate"/);
  });

  it('requires exactly one footer include', () => {
    write(
      'broken.mjml',
      '<mjml><mj-head><mj-title>Subject here</mj-title></mj-head><mj-body><mj-section><mj-column><mj-text>Hi</mj-text></mj-column></mj-section></mj-body></mjml>',
    );
    text();
    expect(() => loadTemplates({ dir })).toThrow(/include exactly one footer/);
  });
});

describe('sampleTemplateData', () => {
  it('gives a reminder exactly the reminder contract, with the role and its article', () => {
    expect(sampleTemplateData('agent', { template: 'keep-records-candidates', nation: 'scotland' })).toEqual({
      name: expect.any(String),
      campaignName: expect.any(String),
      pollDate: 'Thursday 6 May 2027',
      role: 'an election agent',
      nominationsClose: 'Friday 2 April 2027',
      sopnPublished: 'Monday 5 April 2027',
      unsubscribeUrl: expect.stringMatching(/^https:\/\//),
      manageUrl: expect.stringMatching(/^https:\/\/.*\/manage\?token=/),
      webVersionUrl: expect.stringMatching(/^https:\/\/.*\/reminders\/keep-records\?role=agent$/),
      isAgent: 'yes',
      inScotland: 'yes',
      ...SAMPLE_ORGANISER,
      ...SAMPLE_CONTACTS.candidates,
      contactTel: '01632960001',
    });
  });

  it('leaves out what a campaign may lack: organiser phone and website, the contact, the organiser', () => {
    const template = 'keep-records-candidates';
    const minimal = sampleTemplateData('candidate', {
      template,
      organiser: 'minimal',
      contact: 'email-only',
    });
    expect(minimal).toMatchObject({ organiserName: expect.any(String), organiserEmail: expect.any(String) });
    expect(minimal).toMatchObject({ contactName: expect.any(String), contactEmail: expect.any(String) });
    for (const key of [
      'organiserPhone',
      'organiserTel',
      'organiserWebsite',
      'organiserDomain',
      'contactPhone',
    ])
      expect(minimal).not.toHaveProperty(key);
    const legacy = sampleTemplateData('candidate', { template, organiser: 'none' });
    expect(Object.keys(legacy).filter((key) => /^(organiser|contact)/.test(key))).toEqual([]);
  });

  it('gives the web archive page no name, unsubscribe or web link', () => {
    const data = sampleTemplateData('candidate', {
      template: 'keep-records-candidates',
      channel: 'web',
      organiser: 'none',
    });
    expect(Object.keys(data).sort()).toEqual([
      'campaignName',
      'nominationsClose',
      'pollDate',
      'role',
      'sopnPublished',
    ]);
  });

  it('gives welcome the missed reminders only when asked', () => {
    expect(sampleTemplateData('polling-staff', { template: WELCOME_TEMPLATE })).not.toHaveProperty('missed');
    const data = sampleTemplateData('polling-staff', { template: WELCOME_TEMPLATE, withMissed: true });
    expect(data.missed).toEqual([{ title: expect.any(String), url: expect.stringMatching(/^https:\/\//) }]);
  });

  it('gives confirm-subscription a confirm link, the manage link and no name or unsubscribe link', () => {
    const data = sampleTemplateData('candidate', { template: CONFIRM_TEMPLATE });
    expect(Object.keys(data).sort()).toEqual([
      'campaignName',
      'confirmUrl',
      'manageUrl',
      ...Object.keys(SAMPLE_ORGANISER).sort(),
      'role',
    ]);
  });

  it('matches the contract: every required variable, and only declared ones', () => {
    for (const name of [CONFIRM_TEMPLATE, WELCOME_TEMPLATE, 'secure-accounts-candidates']) {
      const data = sampleTemplateData('candidate', { template: name, withMissed: true });
      const contract = TEMPLATE_CONTRACTS[templateKind(name)];
      for (const key of contract.required) expect(data, name).toHaveProperty(key);
      for (const key of Object.keys(data)) expect(templateVariables(name), name).toContain(key);
    }
  });
});

describe('link allow-list', () => {
  it('is exported as data, https hosts only', () => {
    expect(ALLOWED_LINK_HOSTS).toContain('www.gov.uk');
    expect(ALLOWED_LINK_HOSTS).toContain('www.ncsc.gov.uk');
  });

  it.each([
    ['https://www.gov.uk/government/collections/candidate-security-guidance-collection', true],
    ['https://reportfraud.police.uk', true],
    ['http://www.gov.uk/', false],
    ['https://gov.uk.example.com/', false],
    ['https://www.gov.uk.example.com/', false],
    ['https://www.gov.uk:8443/', false],
    ['https://user@www.gov.uk/', false],
    ['mailto:report@phishing.gov.uk', false],
    ['not a url', false],
  ])('%s → %s', (href, allowed) => {
    expect(isAllowedLink(href)).toBe(allowed);
  });

  it.each([
    ['https://www.anytown.gov.uk/elections', true],
    ['https://www.anytown.gov.uk/', true],
    ['http://www.anytown.gov.uk/', false],
    ['https://anytown.gov.uk/', false],
    ['https://www.anytown.gov.uk.example.com/', false],
    ['https://www.gov.uk/', true],
  ])("with the organiser's website https://www.anytown.gov.uk: %s → %s", (href, allowed) => {
    expect(isAllowedLink(href, 'https://www.anytown.gov.uk')).toBe(allowed);
    // Without the campaign's website, its host is not allowed.
    if (href.includes('anytown')) expect(isAllowedLink(href)).toBe(false);
  });

  it('keeps every fixed link in the sources on the allowed hosts; the rest are data or tel:', () => {
    for (const template of loadTemplates()) {
      for (const [, href = ''] of template.html.matchAll(/\bhref="([^"]*)"/g)) {
        if (/^\{\{(unsubscribeUrl|manageUrl|webVersionUrl|confirmUrl|url|organiserWebsite)\}\}$/.test(href))
          continue;
        if (/^mailto:\{\{(organiserEmail|contactEmail)\}\}$/.test(href)) continue;
        if (/^tel:(\d+|\{\{(organiserTel|contactTel)\}\})$/.test(href)) continue;
        expect(isAllowedLink(href), `${template.name}: ${href}`).toBe(true);
      }
    }
  });
});
