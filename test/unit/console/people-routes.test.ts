/**
 * The console's import and subscriber pages behind the real session layer, with in-memory ports:
 * roles (editor+ imports, approver only for subject rights), CSRF on the multipart upload as on any
 * form, bad input answered 4xx naming the field, and no subscriber address in the audit log.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createAdminDirectory } from '../../../functions/lib/admins/directory';
import type { AuditEntry } from '../../../functions/lib/audit/ports';
import { peopleConsoleRoutes } from '../../../functions/lib/console/people/routes';
import type { ConsoleDeps, SessionRecord } from '../../../functions/lib/console/ports';
import { consoleRoutes } from '../../../functions/lib/console/routes';
import { createConsoleKeys } from '../../../functions/lib/console/secrets';
import { startSession } from '../../../functions/lib/console/session';
import type { Route } from '../../../functions/lib/http/route';
import type { ImportJob, ImportRow, ReportLine } from '../../../functions/lib/imports/model';
import type { SubjectData } from '../../../functions/lib/subjects/model';

const keys = createConsoleKeys(Buffer.from('s'.repeat(48)));
const CAMPAIGN = { id: 'c-1', name: 'Exampleton by-election', status: 'open' };
const ADDRESS = 'pat.subject@example.org';

const world = () => {
  const sessions = new Map<string, SessionRecord>();
  const audit: AuditEntry[] = [];
  const jobs = new Map<string, { job: ImportJob; chunks: ImportRow[][]; lines: ReportLine[] }>();
  const queued: string[] = [];
  const erased: string[] = [];
  const campaigns = {
    getCampaign: async (id: string) => (id === CAMPAIGN.id ? CAMPAIGN : undefined),
  } as never;
  const auditLog = { record: async (entry: AuditEntry) => void audit.push(entry), list: async () => audit };
  const deps: ConsoleDeps = {
    admins: createAdminDirectory(
      [
        { email: 'vera@example.org', role: 'viewer' },
        { email: 'eddie@example.org', role: 'editor' },
        { email: 'amy@example.org', role: 'approver' },
      ],
      { list: async () => [], get: async () => undefined, put: async () => {}, remove: async () => false },
    ),
    sessions: {
      create: async (id, record) => void sessions.set(id, record),
      get: async (id) => sessions.get(id),
      touch: async () => {},
      end: async () => true,
    },
    links: { create: async () => {}, peek: async () => 'unknown', consume: async () => 'unknown' },
    signIns: { request: async () => {} },
    audit: auditLog,
    campaigns: campaigns as ConsoleDeps['campaigns'],
    counts: { countByRole: async () => ({}) as never },
    keys: async () => keys,
    clock: { now: () => new Date('2027-03-01T09:00:00Z') },
    secureCookies: true,
  };
  const held: SubjectData = {
    emailHmac: `hash:${ADDRESS}`,
    subscriptions: [
      {
        emailHmac: `hash:${ADDRESS}`,
        campaignId: CAMPAIGN.id,
        email: ADDRESS,
        name: 'Pat Subject',
        role: 'agent',
        status: 'confirmed',
        source: 'form',
        consentAt: '2027-02-01T10:00:00Z',
        createdAt: '2027-02-01T10:00:00Z',
        updatedAt: '2027-02-01T10:00:00Z',
        confirmedAt: '2027-02-01T10:05:00Z',
        history: [],
        expiresAt: 0,
        version: 1,
      } as never,
    ],
    confirmationThrottles: [],
    deliveries: [],
  };
  const pages = peopleConsoleRoutes({
    imports: {
      jobs: {
        create: async (job, chunks, lines) => void jobs.set(job.jobId, { job, chunks, lines }),
        get: async (id) => jobs.get(id)?.job,
        report: async (id) => jobs.get(id)?.lines ?? [],
      },
      queue: { enqueue: async (id) => void queued.push(id) },
      campaigns,
      clock: deps.clock,
      newJobId: () => '00000000-0000-4000-8000-000000000001',
    },
    subjects: {
      store: {
        isErased: async () => false,
        collect: async (hash) =>
          hash === held.emailHmac ? held : { ...held, emailHmac: hash, subscriptions: [] },
        erase: async (hash) => {
          erased.push(hash);
          return {
            subscriptions: 1,
            confirmationThrottles: 0,
            deliveryRecords: 2,
            callRecords: 1,
            suppressions: 0,
          };
        },
      },
      hashEmail: async () => (email: string) => `hash:${email.trim().toLowerCase()}`,
      clock: deps.clock,
      audit: auditLog,
    },
    campaigns,
    audit: auditLog,
  });
  return { deps, routes: consoleRoutes(deps, pages), audit, jobs, queued, erased };
};

const find = (routes: Route[], method: string, path: string) =>
  routes.find((route) => route.method === method && route.path === path) as Route;

const request = (
  method: string,
  path: string,
  cookie: string,
  options: { body?: string | Buffer; contentType?: string; params?: Record<string, string> } = {},
): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    rawPath: path,
    cookies: [`__Host-esr-console=${cookie}`],
    headers: options.contentType ? { 'content-type': options.contentType } : {},
    requestContext: { http: { method, path } },
    pathParameters: options.params,
    ...(options.body === undefined
      ? {}
      : Buffer.isBuffer(options.body)
        ? { body: options.body.toString('base64'), isBase64Encoded: true }
        : { body: options.body, isBase64Encoded: false }),
  }) as unknown as APIGatewayProxyEventV2;

/** A browser's multipart body: the CSRF field and (optionally) the file. */
const multipart = async (fields: Record<string, string>, file?: { name: string; text: string }) => {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file) form.append('file', new Blob([file.text], { type: 'text/csv' }), file.name);
  const built = new Request('http://localhost/', { method: 'POST', body: form });
  return {
    body: Buffer.from(await built.arrayBuffer()),
    contentType: built.headers.get('content-type') ?? '',
  };
};

const signIn = async (w: ReturnType<typeof world>, email: string) => {
  const session = await startSession(w.deps, email);
  return { cookie: session.cookieValue, csrf: keys.csrfToken(session.id) };
};

const CSV = 'Email,Role,Name\r\nann@example.org,polling-staff,Ann Lee\r\nnot-an-address,agent,Bo\r\n';
const UPLOAD = '/console/campaigns/{id}/import';

describe('console import pages', () => {
  it('lets an editor upload a CSV (multipart, CSRF as a field): a queued job, audited with counts, then its page', async () => {
    const w = world();
    const { cookie, csrf } = await signIn(w, 'eddie@example.org');
    const upload = await multipart({ csrfToken: csrf }, { name: 'staff.csv', text: CSV });
    const answer = await find(w.routes, 'POST', UPLOAD).handler(
      request('POST', '/console/campaigns/c-1/import', cookie, { ...upload, params: { id: 'c-1' } }),
    );
    expect(answer.statusCode).toBe(303);
    const jobId = '00000000-0000-4000-8000-000000000001';
    expect(answer.headers.location).toBe(`/console/imports/${jobId}`);
    expect(w.queued).toEqual([jobId]);
    expect(w.jobs.get(jobId)?.job).toMatchObject({ total: 2, rejected: 1, state: 'queued' });
    expect(w.audit).toEqual([
      expect.objectContaining({
        actor: 'eddie@example.org',
        action: 'import.created',
        campaignId: 'c-1',
        detail: { jobId, total: 2, rejectedAtUpload: 1 },
      }),
    ]);

    const jobPage = await find(w.routes, 'GET', '/console/imports/{jobId}').handler(
      request('GET', `/console/imports/${jobId}`, cookie, { params: { jobId } }),
    );
    expect(jobPage.statusCode).toBe(200);
    expect(jobPage.body).toMatch(/data-field="done">1<\/span> of <span data-field="total">2/);
    expect(jobPage.body).toContain('not-an-address');
    expect(jobPage.body).toContain('Not an email address');
    expect(jobPage.headers['content-security-policy']).toContain("script-src 'self'");

    const status = await find(w.routes, 'GET', '/console/imports/{jobId}/status.json').handler(
      request('GET', `/console/imports/${jobId}/status.json`, cookie, { params: { jobId } }),
    );
    expect(JSON.parse(status.body ?? '')).toMatchObject({
      state: 'queued',
      done: 1,
      total: 2,
      finished: false,
    });
  });

  it('refuses a viewer (403), and an upload without the session’s CSRF token (403), creating nothing', async () => {
    const w = world();
    const viewer = await signIn(w, 'vera@example.org');
    const asViewer = await multipart({ csrfToken: viewer.csrf }, { name: 'staff.csv', text: CSV });
    const editor = await signIn(w, 'eddie@example.org');
    const noToken = await multipart({}, { name: 'staff.csv', text: CSV });
    for (const [cookie, body] of [
      [viewer.cookie, asViewer],
      [editor.cookie, noToken],
    ] as const) {
      const answer = await find(w.routes, 'POST', UPLOAD).handler(
        request('POST', '/console/campaigns/c-1/import', cookie, { ...body, params: { id: 'c-1' } }),
      );
      expect(answer.statusCode).toBe(403);
    }
    const page = await find(w.routes, 'GET', UPLOAD).handler(
      request('GET', '/console/campaigns/c-1/import', viewer.cookie, { params: { id: 'c-1' } }),
    );
    expect(page.statusCode).toBe(403);
    expect(w.jobs.size).toBe(0);
    expect(w.queued).toEqual([]);
  });

  it('answers 400 naming the file field for no file and for a file without a role column; 415 for a urlencoded post', async () => {
    const w = world();
    const { cookie, csrf } = await signIn(w, 'eddie@example.org');
    const none = await multipart({ csrfToken: csrf });
    const noRole = await multipart(
      { csrfToken: csrf },
      { name: 'x.csv', text: 'email\r\na@example.org\r\n' },
    );
    for (const [body, words] of [
      [none, 'Select a CSV file'],
      [noRole, 'must name a column &quot;role&quot;'],
    ] as const) {
      const answer = await find(w.routes, 'POST', UPLOAD).handler(
        request('POST', '/console/campaigns/c-1/import', cookie, { ...body, params: { id: 'c-1' } }),
      );
      expect(answer.statusCode).toBe(400);
      expect(answer.body).toContain('href="#file"');
      expect(answer.body).toContain(words);
    }
    const urlencoded = await find(w.routes, 'POST', UPLOAD).handler(
      request('POST', '/console/campaigns/c-1/import', cookie, {
        body: `csrfToken=${csrf}`,
        contentType: 'application/x-www-form-urlencoded',
        params: { id: 'c-1' },
      }),
    );
    expect(urlencoded.statusCode).toBe(415);
    expect(w.jobs.size).toBe(0);
  });
});

describe('console subject access and erasure', () => {
  const form = (fields: Record<string, string>) => ({
    body: new URLSearchParams(fields).toString(),
    contentType: 'application/x-www-form-urlencoded',
  });

  it('is for approvers only: a viewer and an editor get 403 and nothing is exported or erased', async () => {
    const w = world();
    for (const email of ['vera@example.org', 'eddie@example.org']) {
      const { cookie, csrf } = await signIn(w, email);
      const page = await find(w.routes, 'GET', '/console/subscribers').handler(
        request('GET', '/console/subscribers', cookie),
      );
      expect(page.statusCode).toBe(403);
      const erase = await find(w.routes, 'POST', '/console/subscribers/erase').handler(
        request(
          'POST',
          '/console/subscribers/erase',
          cookie,
          form({ csrfToken: csrf, email: ADDRESS, confirm: 'yes' }),
        ),
      );
      expect(erase.statusCode).toBe(403);
    }
    expect(w.erased).toEqual([]);
    expect(w.audit).toEqual([]);
  });

  it('exports what is held (a page and a JSON download), then erases only after confirmation; the audit log has counts only', async () => {
    const w = world();
    const { cookie, csrf } = await signIn(w, 'amy@example.org');
    const bad = await find(w.routes, 'POST', '/console/subscribers').handler(
      request(
        'POST',
        '/console/subscribers',
        cookie,
        form({ csrfToken: csrf, email: 'nope', action: 'export' }),
      ),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#email"');

    const shown = await find(w.routes, 'POST', '/console/subscribers').handler(
      request(
        'POST',
        '/console/subscribers',
        cookie,
        form({ csrfToken: csrf, email: ADDRESS, action: 'export' }),
      ),
    );
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('Pat Subject');
    expect(shown.body).toContain('confirmed');

    const download = await find(w.routes, 'POST', '/console/subscribers/export.json').handler(
      request('POST', '/console/subscribers/export.json', cookie, form({ csrfToken: csrf, email: ADDRESS })),
    );
    expect(download.headers['content-disposition']).toContain('attachment');
    expect(JSON.parse(download.body ?? '').subscriptions[0].name).toBe('Pat Subject');

    const confirmPage = await find(w.routes, 'POST', '/console/subscribers').handler(
      request(
        'POST',
        '/console/subscribers',
        cookie,
        form({ csrfToken: csrf, email: ADDRESS, action: 'erase' }),
      ),
    );
    expect(confirmPage.statusCode).toBe(200);
    expect(confirmPage.body).toContain('This cannot be undone');
    expect(w.erased).toEqual([]);

    const unconfirmed = await find(w.routes, 'POST', '/console/subscribers/erase').handler(
      request('POST', '/console/subscribers/erase', cookie, form({ csrfToken: csrf, email: ADDRESS })),
    );
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toContain('href="#confirm"');
    expect(w.erased).toEqual([]);

    const done = await find(w.routes, 'POST', '/console/subscribers/erase').handler(
      request(
        'POST',
        '/console/subscribers/erase',
        cookie,
        form({ csrfToken: csrf, email: ADDRESS, confirm: 'yes' }),
      ),
    );
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Details erased');
    expect(w.erased).toEqual([`hash:${ADDRESS}`]);
    expect(w.audit.map((entry) => [entry.actor, entry.action])).toEqual([
      ['amy@example.org', 'subscriber.export'],
      ['amy@example.org', 'subscriber.export'],
      ['amy@example.org', 'subscriber.erase'],
    ]);
    expect(JSON.stringify(w.audit)).not.toContain(ADDRESS);
    expect(JSON.stringify(w.audit)).not.toContain('hash:');
  });
});
