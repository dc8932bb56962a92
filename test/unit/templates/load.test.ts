import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIENCES, ROLE_LABELS, ROLES, rolesOf } from '../../../functions/lib/domain/roles';
import { PLAYBOOKS } from '../../../functions/lib/playbooks';
import {
  ALLOWED_LINK_HOSTS,
  CONFIRM_TEMPLATE,
  DEFAULT_TEMPLATES_DIR,
  isAllowedLink,
  loadTemplates,
  sampleTemplateData,
  TemplateCompileError,
  TemplateSourceError,
  templateAudiences,
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

  it('has no stray templates: each is confirm, welcome or used by a playbook step', () => {
    const used = new Set<string>([CONFIRM_TEMPLATE, WELCOME_TEMPLATE]);
    for (const playbook of Object.values(PLAYBOOKS)) {
      for (const step of playbook.steps) for (const name of Object.values(step.templates)) used.add(name);
    }
    expect(names.filter((name) => !used.has(name))).toEqual([]);
  });

  it('maps names to audiences and roles', () => {
    expect(templateAudiences('secure-accounts-candidates')).toEqual(['candidates']);
    expect(templateRoles('secure-accounts-candidates')).toEqual(['candidate', 'agent']);
    expect(templateRoles('after-the-count-officials')).toEqual(['returning-officer', 'election-staff']);
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
      const used = new Set(
        [
          ...`${template.subject}${template.html}${template.text}`.matchAll(
            /\{\{[#/]?(?:if |unless )?(\w+)\}\}/g,
          ),
        ]
          .map((match) => match[1])
          .filter((name) => name !== 'else' && name !== 'if' && name !== 'unless'),
      );
      for (const variable of used)
        expect(templateVariables(template.name), template.name).toContain(variable);
    }
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
    ['a helper SES does not have', '{{#each name}}x{{/each}}', /unsupported Handlebars expression/],
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
  it('gives a reminder the reminder variables, with the role label', () => {
    expect(sampleTemplateData('agent', { template: 'keep-records-candidates' })).toEqual({
      name: expect.any(String),
      campaignName: expect.any(String),
      pollDate: expect.any(String),
      role: ROLE_LABELS.agent,
      unsubscribeUrl: expect.stringMatching(/^https:\/\//),
    });
  });

  it('gives confirm-subscription a confirm link and no unsubscribe link', () => {
    const data = sampleTemplateData('candidate', { template: CONFIRM_TEMPLATE, withName: false });
    expect(Object.keys(data).sort()).toEqual(['campaignName', 'confirmUrl', 'role']);
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
});
