import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { AdminIdentity } from '../../../functions/lib/admins/model';
import { createCampaign } from '../../../functions/lib/campaigns/campaigns';
import { approvalActions } from '../../../functions/lib/console/campaign/actions';
import { campaignConsoleRoutes } from '../../../functions/lib/console/campaign/routes';
import type { ConsoleRoute } from '../../../functions/lib/console/http';
import { makeDeps, ORGANISER } from '../campaigns/fakes';

const editor: AdminIdentity = { email: 'ed@anytown.example.org', role: 'editor' };
const viewer: AdminIdentity = { email: 'vi@anytown.example.org', role: 'viewer' };
const approver: AdminIdentity = { email: 'ap@anytown.example.org', role: 'approver' };
const approver2: AdminIdentity = { email: 'ap2@anytown.example.org', role: 'approver' };

const templates = {
  async html(name: string) {
    if (name === 'urgent-alert')
      return '<html><body><h1>{{alertSubject}}</h1>{{alertHtml}}<p>{{role}}</p></body></html>';
    return `<html><body><p>${name}: {{campaignName}} for {{role}}, {{name}}</p>{{#if contactName}}<p>{{contactName}}</p>{{/if}}<a href="{{unsubscribeUrl}}">Unsubscribe</a></body></html>`;
  },
};

const setUp = (now = '2027-03-01T12:00:00Z') => {
  const base = makeDeps(now);
  const deps = {
    ...base,
    reminderTemplates: templates,
    deliveries: { countsFor: async () => ({}) },
    actions: approvalActions(base),
    publicBaseUrl: 'https://reminders.anytown.example.org',
  };
  const routes = campaignConsoleRoutes(deps);
  const call = async (
    method: 'GET' | 'POST',
    path: string,
    options: {
      admin?: AdminIdentity;
      form?: Record<string, string> | URLSearchParams;
      query?: Record<string, string>;
    } = {},
  ) => {
    const match = routes
      .map((route) => ({ route, params: matchPath(route, method, path) }))
      .find((candidate) => candidate.params);
    if (!match?.params) throw new Error(`no route for ${method} ${path}`);
    const event = {
      rawPath: path,
      requestContext: { http: { method, path } },
      headers: options.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
      pathParameters: match.params,
      queryStringParameters: options.query,
      body: options.form ? new URLSearchParams(options.form).toString() : undefined,
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    return match.route.handler(event, { admin: options.admin ?? editor, csrfToken: 'token-1', form: {} });
  };
  return { deps, call };
};

const matchPath = (route: ConsoleRoute, method: string, path: string) => {
  if (route.method !== method) return undefined;
  const names: string[] = [];
  const pattern = new RegExp(
    `^${route.path.replace(/\{(\w+)\}/g, (_: string, name: string) => {
      names.push(name);
      return '([^/]+)';
    })}$`,
  );
  const found = pattern.exec(path);
  return found
    ? Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1] ?? '')]))
    : undefined;
};

const input = {
  name: 'Anytown council 2027',
  election: 'local' as const,
  nation: 'england' as const,
  pollDate: '2027-05-06',
  organiser: ORGANISER,
};

const filled = {
  name: 'Anytown council 2027',
  election: 'local',
  nation: 'england',
  'pollDate-day': '6',
  'pollDate-month': '5',
  'pollDate-year': '2027',
  'organiser-name': ORGANISER.name,
  'organiser-email': ORGANISER.email,
};

const text = (body: string | undefined) => (body ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('campaign console routes', () => {
  it('asks the session layer for edit to create, change or cancel, approve to decide, read to look', () => {
    const { deps } = setUp();
    const permissions = Object.fromEntries(
      campaignConsoleRoutes(deps).map((route) => [`${route.method} ${route.path}`, route.permission]),
    );
    expect(permissions).toMatchObject({
      'GET /console/campaigns/new': 'edit',
      'POST /console/campaigns/new': 'edit',
      'POST /console/campaigns/{id}/edit': 'edit',
      'POST /console/campaigns/{id}/cancel': 'edit',
      'POST /console/campaigns/{id}/changes/{changeId}/approve': 'approve',
      'POST /console/campaigns/{id}/changes/{changeId}/reject': 'approve',
      'GET /console/campaigns/{id}': 'read',
      'GET /console/campaigns/{id}/delivery.json': 'read',
      'GET /console/campaigns/{id}/steps/{stepKey}/preview': 'read',
    });
  });

  it('shows the form with a CSRF field, and errors in a summary linked to each field', async () => {
    const { call } = setUp();
    const form = await call('GET', '/console/campaigns/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<input type="hidden" name="csrfToken" value="token-1">');

    const refused = await call('POST', '/console/campaigns/new', {
      form: { ...filled, 'organiser-email': 'nope' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toMatch(/<title>Error: Create a campaign/);
    expect(refused.body).toContain('class="govuk-error-summary"');
    expect(refused.body).toContain(
      'href="#organiser-email">Organiser email address must be an email address</a>',
    );
    expect(refused.body).toMatch(/id="organiser-email-error"/);
    // What was typed stays.
    expect(refused.body).toContain('value="Anytown council 2027"');
  });

  it('checks the answers: the statutory timetable and every reminder, values carried in hidden fields', async () => {
    const { call, deps } = setUp();
    const check = await call('POST', '/console/campaigns/new', { form: { ...filled, step: 'check' } });
    expect(check.statusCode).toBe(200);
    const words = text(check.body);
    expect(words).toContain('Check your answers');
    expect(words).toContain('Statutory timetable');
    expect(words).toMatch(/Polling day: polls open 7am to 10pm Thursday 6 May 2027/);
    expect(words).toContain('18 reminders: 18 will be sent');
    expect(check.body).toContain(
      '<input type="hidden" name="organiser-email" value="elections@anytown.example.org">',
    );
    expect(deps.campaigns.items.size).toBe(0);

    const back = await call('POST', '/console/campaigns/new', { form: { ...filled, step: 'change' } });
    expect(back.body).toContain('value="Anytown council 2027"');
    expect(back.statusCode).toBe(200);
  });

  it('saves through the actions port and redirects to the campaign page, which shows the timeline', async () => {
    const { call, deps } = setUp();
    const saved = await call('POST', '/console/campaigns/new', { form: { ...filled, step: 'save' } });
    expect(saved.statusCode).toBe(303);
    const [campaign] = [...deps.campaigns.items.values()];
    expect(campaign?.name).toBe('Anytown council 2027');
    expect(saved.headers.location).toBe(`/console/campaigns/${campaign?.id}?done=draft-created`);
    expect(campaign?.status).toBe('draft');
    expect(deps.scheduler.schedules.size).toBe(0);

    const shown = await call('GET', `/console/campaigns/${campaign?.id}`, {
      query: { done: 'draft-created' },
    });
    expect(shown.statusCode).toBe(200);
    expect(shown.headers['content-security-policy']).toContain("script-src 'self'; connect-src 'self'");
    expect(shown.body).toContain('role="img" aria-labelledby="timeline-title timeline-desc"');
    expect(shown.body).toContain('Draft created. Another approver must approve it');
    // The editor sees the draft waiting, with no buttons to decide it.
    expect(text(shown.body)).toContain('Open the campaign: schedule its 18 reminders');
    expect(shown.body).not.toContain('/changes/draft/approve');
    expect(shown.body).toContain(`data-delivery-url="/console/campaigns/${campaign?.id}/delivery.json"`);
    expect(shown.body ?? '').toMatch(
      /<script type="module" src="\/console\/campaign-assets\/delivery\.js\?v=[0-9a-f]{12}"><\/script>/,
    );
    // No inline script at all.
    expect((shown.body ?? '').match(/<script/g)).toHaveLength(1);
    // Editors see the actions; viewers do not.
    expect(shown.body).toContain('Cancel the campaign');
    const asViewer = await call('GET', `/console/campaigns/${campaign?.id}`, { admin: viewer });
    expect(asViewer.body).not.toContain('Cancel the campaign');
  });

  it('an approver approves the draft; one who created a draft cannot approve it', async () => {
    const { call, deps } = setUp();
    const { campaign } = await createCampaign(deps, input, approver);
    const asAuthor = await call('GET', `/console/campaigns/${campaign.id}`, { admin: approver });
    expect(asAuthor.body).not.toContain('/changes/draft/approve');
    expect(text(asAuthor.body)).toContain('You proposed this. Another approver must approve it.');
    const refused = await call('POST', `/console/campaigns/${campaign.id}/changes/draft/approve`, {
      admin: approver,
      form: {},
    });
    expect(refused.statusCode).toBe(403);
    expect(text(refused.body)).toContain('You created or edited this draft');
    expect(deps.campaigns.items.get(campaign.id)?.status).toBe('draft');

    const asOther = await call('GET', `/console/campaigns/${campaign.id}`, { admin: approver2 });
    expect(asOther.body).toContain(`action="/console/campaigns/${campaign.id}/changes/draft/approve"`);
    // A draft is approved or discarded, not rejected; its steps are planned, not scheduled.
    expect(asOther.body).not.toContain('/changes/draft/reject');
    expect(text(asOther.body)).toContain('Planned');
    const approved = await call('POST', `/console/campaigns/${campaign.id}/changes/draft/approve`, {
      admin: approver2,
      form: {},
    });
    expect(approved.statusCode).toBe(303);
    expect(deps.campaigns.items.get(campaign.id)?.status).toBe('open');
    expect(deps.scheduler.schedules.size).toBe(18);
  });

  it('a change to a live campaign waits for a second approver, who may reject it', async () => {
    const { call, deps } = setUp();
    const { campaign } = await createCampaign(deps, input, editor);
    await call('POST', `/console/campaigns/${campaign.id}/changes/draft/approve`, {
      admin: approver,
      form: {},
    });
    const cancel = await call('POST', `/console/campaigns/${campaign.id}/cancel`, { form: {} });
    expect(cancel.headers.location).toBe(`/console/campaigns/${campaign.id}?done=cancel-proposed`);
    const pending = deps.campaigns.items.get(campaign.id)?.pendingChange;
    expect(pending?.kind).toBe('cancel');
    const page = await call('GET', `/console/campaigns/${campaign.id}`, { admin: approver });
    expect(text(page.body)).toContain('Cancel the campaign: nothing more is sent');
    const rejected = await call('POST', `/console/campaigns/${campaign.id}/changes/${pending?.id}/reject`, {
      admin: approver,
      form: {},
    });
    expect(rejected.statusCode).toBe(303);
    expect(deps.campaigns.items.get(campaign.id)).toMatchObject({ status: 'open' });
    expect(deps.campaigns.items.get(campaign.id)?.pendingChange).toBeUndefined();
  });

  it('prepares an urgent alert: checked with the core’s rules, previewed as sent, then approved by another approver', async () => {
    const { call, deps } = setUp();
    const { campaign } = await createCampaign(deps, input, editor);
    await call('POST', `/console/campaigns/${campaign.id}/changes/draft/approve`, {
      admin: approver,
      form: {},
    });
    const path = `/console/campaigns/${campaign.id}/alert`;
    expect((await call('GET', path, { admin: approver })).statusCode).toBe(200);

    const refused = await call('POST', path, {
      admin: approver,
      form: { subject: 'Fake police emails', body: '# Heading\n\nText', step: 'preview' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('href="#body"');
    expect(refused.body).toContain('href="#roles">Select who should get it</a>');
    expect(refused.body).toMatch(/headings/);

    const form = new URLSearchParams({
      subject: 'Fake police emails',
      body: 'Emails claiming to be from the police are **fake**.\n\n- Do not open links',
      step: 'preview',
    });
    form.append('roles', 'agent');
    form.append('roles', 'candidate');
    const preview = await call('POST', path, { admin: approver, form });
    expect(preview.statusCode).toBe(200);
    // Both boxes ticked stay ticked, carried to the save as hidden fields.
    expect(preview.body).toContain('<input type="hidden" name="roles" value="candidate">');
    expect(preview.body).toContain('<input type="hidden" name="roles" value="agent">');
    expect(preview.headers['content-security-policy']).toContain("'unsafe-inline'");
    expect(preview.body).toContain('&lt;strong&gt;fake&lt;/strong&gt;');
    expect(preview.body).toContain('&lt;li&gt;Do not open links&lt;/li&gt;');

    const saved = await call('POST', path, {
      admin: approver,
      form: {
        subject: 'Fake police emails',
        body: 'Emails claiming to be from the police are **fake**.',
        roles: 'agent',
        step: 'save',
      },
    });
    expect(saved.headers.location).toBe(`/console/campaigns/${campaign.id}?done=alert-proposed`);
    const [alert] = deps.campaigns.items.get(campaign.id)?.alerts ?? [];
    expect(alert).toMatchObject({ status: 'draft', roles: ['agent'], createdBy: approver.email });

    const page = await call('GET', `/console/campaigns/${campaign.id}`, { admin: approver2 });
    expect(page.body).toContain('Send the urgent alert &quot;Fake police emails&quot; to election agent');
    const approved = await call(
      'POST',
      `/console/campaigns/${campaign.id}/changes/alert-${alert?.id}/approve`,
      {
        admin: approver2,
        form: {},
      },
    );
    expect(approved.statusCode).toBe(303);
    expect(
      deps.campaigns.items.get(campaign.id)?.steps.some((step) => step.key === `alert-${alert?.id}`),
    ).toBe(true);
  });

  it('a new poll date for a live campaign is checked, then proposed; its summary says what moves', async () => {
    const { call, deps } = setUp();
    const { campaign } = await createCampaign(deps, input, editor);
    await call('POST', `/console/campaigns/${campaign.id}/changes/draft/approve`, {
      admin: approver,
      form: {},
    });
    const edit = {
      'pollDate-day': '13',
      'pollDate-month': '5',
      'pollDate-year': '2027',
      'organiser-name': ORGANISER.name,
      'organiser-email': ORGANISER.email,
    };
    const check = await call('POST', `/console/campaigns/${campaign.id}/edit`, {
      form: { ...edit, step: 'check' },
    });
    expect(text(check.body)).toContain('Saving sends the change for approval.');
    expect(text(check.body)).toContain('Send for approval');
    const saved = await call('POST', `/console/campaigns/${campaign.id}/edit`, {
      form: { ...edit, step: 'save' },
    });
    expect(saved.headers.location).toBe(`/console/campaigns/${campaign.id}?done=update-proposed`);
    expect(deps.campaigns.items.get(campaign.id)).toMatchObject({
      pollDate: '2027-05-06',
      pendingChange: { kind: 'update', update: { pollDate: '2027-05-13' } },
    });
    const page = await call('GET', `/console/campaigns/${campaign.id}`, { admin: approver });
    expect(text(page.body)).toContain(
      'Move the poll date from Thursday 6 May 2027 to Thursday 13 May 2027, change the organiser, change the local contacts',
    );
  });

  it('answers the counts as JSON for the refresh', async () => {
    const { call, deps } = setUp();
    const { campaign } = await createCampaign(deps, input, editor);
    const answer = await call('GET', `/console/campaigns/${campaign.id}/delivery.json`);
    expect(answer.headers['content-type']).toContain('application/json');
    const report = JSON.parse(answer.body ?? '{}');
    expect(report.steps).toHaveLength(campaign.steps.length);
    expect(report.generatedAt).toBe('2027-03-01T12:00:00.000Z');
  });

  it('previews a step for each of its roles in a sandboxed frame, with the role’s contact and sample data', async () => {
    const { call, deps } = setUp();
    const { campaign } = await createCampaign(
      deps,
      {
        ...input,
        contacts: { candidates: { name: 'Candidate safety, Anytown Police', phone: '01234 000000' } },
      },
      editor,
    );
    const preview = await call(
      'GET',
      `/console/campaigns/${campaign.id}/steps/know-your-police-contact/preview`,
      {
        query: { role: 'agent' },
      },
    );
    expect(preview.statusCode).toBe(200);
    expect(preview.headers['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");
    expect(preview.headers['content-security-policy']).not.toContain('script-src');
    expect(preview.body).toMatch(/<iframe class="esr-preview-frame" title="[^"]+" sandbox srcdoc="/);
    expect(preview.body).toContain(
      'know-your-police-contact-candidates: Anytown council 2027 for an election agent, Sam Sample',
    );
    expect(preview.body).toContain('Candidate safety, Anytown Police');
    expect(preview.body).toMatch(
      /href=&quot;https:\/\/reminders\.anytown\.example\.org\/unsubscribe\?token[^"]*sample&quot;/,
    );
    // The other role it goes to is one link away.
    expect(preview.body).toContain('steps/know-your-police-contact/preview?role=candidate');
  });

  it('cancels after a confirmation page, and refuses to change a cancelled campaign', async () => {
    const { call, deps } = setUp();
    const { campaign } = await createCampaign(deps, input, editor);
    const confirm = await call('GET', `/console/campaigns/${campaign.id}/cancel`);
    expect(text(confirm.body)).toContain('18 reminders still to go will not be sent');
    const done = await call('POST', `/console/campaigns/${campaign.id}/cancel`, {
      form: { csrfToken: 'token-1' },
    });
    expect(done.statusCode).toBe(303);
    expect(deps.campaigns.items.get(campaign.id)?.status).toBe('cancelled');
    expect((await call('GET', `/console/campaigns/${campaign.id}/edit`)).statusCode).toBe(409);
    expect((await call('GET', '/console/campaigns/nosuchcampaignaa')).statusCode).toBe(404);
  });

  it('edits: a new poll date is checked, then moves the steps', async () => {
    const { call, deps } = setUp();
    const { campaign } = await createCampaign(deps, input, editor);
    const form = await call('GET', `/console/campaigns/${campaign.id}/edit`);
    expect(form.body).toMatch(/id="pollDate-day" name="pollDate-day" type="text" value="6"/);
    const edit = {
      'pollDate-day': '13',
      'pollDate-month': '5',
      'pollDate-year': '2027',
      'organiser-name': ORGANISER.name,
      'organiser-email': ORGANISER.email,
    };
    const check = await call('POST', `/console/campaigns/${campaign.id}/edit`, {
      form: { ...edit, step: 'check' },
    });
    expect(text(check.body)).toContain('Thursday 13 May 2027 (was Thursday 6 May 2027)');
    expect(text(check.body)).toMatch(/Moves from Thu 6 May 2027, 06:00/);
    const saved = await call('POST', `/console/campaigns/${campaign.id}/edit`, {
      form: { ...edit, step: 'save' },
    });
    expect(saved.statusCode).toBe(303);
    expect(deps.campaigns.items.get(campaign.id)?.pollDate).toBe('2027-05-13');
  });
});
