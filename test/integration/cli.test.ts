import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_API, EXIT_OK, EXIT_USAGE, main } from '../../cli/esr';
import { TEST_APPROVER, TEST_SECOND_APPROVER } from '../support/campaigns';
import { bootLocalStack } from '../support/local-stack';

/** `esr` against a real local stack: in-process for speed, plus the bin script as a person runs it. */

let ctx: Awaited<ReturnType<typeof bootLocalStack>>;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const esr = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: { ESR_API_URL: ctx.stack.apiUrl, ESR_ADMIN_TOKEN: ctx.stack.adminToken, ...env },
    cwd: ctx.dataDir,
  });
  return { code, stdout, stderr };
};

const spawnEsr = (args: string[], env: NodeJS.ProcessEnv) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/esr.js', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

let campaignId = '';

beforeAll(async () => {
  ctx = await bootLocalStack();
  await ctx.stack.setClock(new Date('2027-03-01T12:00:00Z'));
});
afterAll(async () => ctx?.stop());

describe('esr CLI against the local stack', () => {
  it('creates a draft campaign and prints its steps', async () => {
    const result = await esr([
      'campaign',
      'create',
      '--name',
      'Anytown council 2027',
      '--poll-date',
      '2027-05-06',
      '--nation',
      'england',
      '--organiser-name',
      'Anytown Borough Council',
      '--organiser-email',
      'elections@anytown.example.org',
      '--contact',
      'officials|Election SPOC, Anytown Police|01234 000000|spoc@police.example.org',
    ]);

    expect(result).toMatchObject({ code: EXIT_OK, stderr: '' });
    expect(result.stdout).toContain('organiser: Anytown Borough Council <elections@anytown.example.org>');
    expect(result.stdout).toContain(
      'contact for officials: Election SPOC, Anytown Police, 01234 000000, spoc@police.example.org',
    );
    campaignId = result.stdout.match(/Created draft campaign ([a-z2-7]{16})\./)?.[1] ?? '';
    expect(campaignId).not.toBe('');
    expect(result.stdout).toContain(`another approver runs \`esr campaign approve ${campaignId}\``);
    expect(result.stdout).toContain('steps: 18 scheduled');
    expect(result.stdout).toMatch(/Nominations close at 4pm\s+2027-04-08\s+16:00/);
    expect(result.stdout).toMatch(
      /2027-03-25T09:00:00\+00:00\s+secure-accounts\s+polling-day -42\s+candidate,agent\s+scheduled/,
    );
    expect(result.stdout).toMatch(
      /2027-04-08T16:30:00\+01:00\s+know-your-police-contact\s+close-of-nominations \+0 working\s+/,
    );
  });

  it('approves the draft only as another admin (--as)', async () => {
    const own = await esr(['campaign', 'approve', campaignId]);
    expect(own.code).toBe(EXIT_API);
    expect(own.stderr).toMatch(/Refused \(403\): You created or edited this draft/);
    const sigv4 = await esr([
      '--sigv4',
      '--region',
      'eu-west-2',
      '--as',
      TEST_APPROVER.email,
      'campaign',
      'list',
    ]);
    expect(sigv4.code).toBe(EXIT_USAGE);

    const result = await esr(['--as', TEST_APPROVER.email, 'campaign', 'approve', campaignId]);

    expect(result).toMatchObject({ code: EXIT_OK, stderr: '' });
    expect(result.stdout).toContain(
      `Approved campaign ${campaignId}: it is open and its reminders are scheduled.`,
    );
    expect(result.stdout).toContain(`approved by ${TEST_APPROVER.email}`);
  });

  it('lists campaigns and shows one', async () => {
    const list = await esr(['campaign', 'list']);
    const show = await esr(['campaign', 'show', campaignId]);
    const json = await esr(['--json', 'campaign', 'show', campaignId]);

    expect(list.code).toBe(EXIT_OK);
    expect(list.stdout).toMatch(
      new RegExp(`${campaignId}\\s+Anytown council 2027\\s+2027-05-06\\s+england\\s+open`),
    );
    expect(show.stdout).toContain(`Campaign ${campaignId}: Anytown council 2027`);
    expect(JSON.parse(json.stdout)).toMatchObject({ id: campaignId, status: 'open' });
  });

  it('prints the timeline for a role as a table', async () => {
    const result = await esr(['timeline', campaignId, '--role', 'returning-officer']);

    expect(result.code).toBe(EXIT_OK);
    const rows = result.stdout.trim().split('\n');
    expect(rows[0]).toBe(`Timeline of Anytown council 2027 (poll 2027-05-06) for returning-officer:`);
    expect(rows[1]).toMatch(/^SEND AT\s+STEP\s+TITLE\s+ROLES\s+STATUS$/);
    expect(rows).toHaveLength(2 + 8);
    expect(result.stdout).not.toContain('secure-accounts');
  });

  it('proposes a reschedule; another approver approves it and sees what moved', async () => {
    const proposed = await esr(['campaign', 'reschedule', campaignId, '--poll-date', '2027-05-13']);
    expect(proposed.code).toBe(EXIT_OK);
    expect(proposed.stdout).toMatch(
      /Proposed change [0-9a-f]{12} to campaign .*nothing changes until another approver/,
    );
    const show = await esr(['campaign', 'show', campaignId]);
    expect(show.stdout).toMatch(
      /PENDING update [0-9a-f]{12} by arn:aws:iam::000000000000:user\/esr-local-admin/,
    );

    const result = await esr(['--as', TEST_APPROVER.email, 'campaign', 'approve', campaignId]);

    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout).toMatch(/Approved change [0-9a-f]{12} to campaign/);
    expect(result.stdout).toMatch(
      /secure-accounts\s+2027-03-25T09:00:00\+00:00\s+2027-04-01T09:00:00\+01:00\s+scheduled/,
    );
  });

  it('prints validation issues one per line and exits 1', async () => {
    const result = await esr(['campaign', 'reschedule', campaignId, '--poll-date', '13/05/2027']);

    expect(result.code).toBe(EXIT_API);
    expect(result.stderr).toBe(
      'The API refused the request:\n  pollDate: pollDate must be a date in the form YYYY-MM-DD, e.g. 2027-05-06\n',
    );
  });

  it('exits 2 on usage errors without calling the API', async () => {
    const missing = await esr(['campaign', 'create', '--name', 'x']);
    const badRole = await esr(['timeline', campaignId, '--role', 'mayor']);

    expect(missing.code).toBe(EXIT_USAGE);
    expect(missing.stderr).toMatch(/required option/);
    expect(badRole.code).toBe(EXIT_USAGE);
  });

  it('explains a missing token (401)', async () => {
    const result = await esr(['campaign', 'list'], { ESR_ADMIN_TOKEN: 'wrong' });

    expect(result.code).toBe(EXIT_API);
    expect(result.stderr).toMatch(/needs the admin token \(401\)/);
  });

  it('prepares, previews and approves an urgent alert as two approvers', async () => {
    const created = await esr([
      '--as',
      TEST_APPROVER.email,
      'alert',
      'create',
      campaignId,
      '--subject',
      'Fake emails about your nomination',
      '--body',
      'Do not click the link. Read the [NCSC advice](https://www.ncsc.gov.uk/collection/phishing-scams).',
      '--role',
      'candidate',
      'agent',
    ]);
    expect(created.code).toBe(EXIT_OK);
    const alertId = created.stdout.match(/Prepared alert ([0-9a-f]{10})/)?.[1] ?? '';
    const bad = await esr([
      '--as',
      TEST_APPROVER.email,
      'alert',
      'create',
      campaignId,
      '--subject',
      'x',
      '--body',
      '# Loud',
      '--role',
      'agent',
    ]);
    expect(bad.stderr).toMatch(
      /body: body may hold paragraphs, bullet lists, \*emphasis\* and links only: headings/,
    );

    const preview = await esr(['alert', 'preview', campaignId, alertId]);
    expect(preview.stdout).toContain('Subject: Fake emails about your nomination');
    expect(preview.stdout).toContain(
      'Read the NCSC advice (ncsc.gov.uk).\nhttps://www.ncsc.gov.uk/collection/phishing-scams',
    );
    const own = await esr(['--as', TEST_APPROVER.email, 'alert', 'approve', campaignId, alertId]);
    expect(own.stderr).toMatch(/Refused \(403\): You prepared this alert/);

    const approved = await esr(['--as', TEST_SECOND_APPROVER.email, 'alert', 'approve', campaignId, alertId]);

    expect(approved.code).toBe(EXIT_OK);
    expect(approved.stdout).toContain(
      `Approved alert ${alertId}: step alert-${alertId} goes to candidate, agent at`,
    );
    const audit = await esr(['audit', '--campaign', campaignId]);
    expect(audit.stdout).toMatch(new RegExp(`alert\\.approved\\s+${campaignId}`));
  });

  it('exports and erases a subscriber, the address in the request body; shows counts by role', async () => {
    const address = 'cli.person@example.org';
    const signup = await fetch(`${ctx.stack.apiUrl}/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: address, role: 'agent', campaignId, consent: true }),
    });
    expect(signup.status).toBe(202);

    const exported = await esr(['subscriber', 'export', address]);
    expect(exported.code).toBe(EXIT_OK);
    const data = JSON.parse(exported.stdout);
    expect(data.subscriptions).toEqual([
      expect.objectContaining({ campaignId, email: address, role: 'agent', status: 'pending' }),
    ]);

    const erased = await esr(['subscriber', 'erase', address]);
    expect(erased.code).toBe(EXIT_OK);
    expect(erased.stdout).toMatch(
      /^Erased: 1 subscription\(s\), .* A marker with the address hash only remains\.\n$/,
    );
    const after = JSON.parse((await esr(['subscriber', 'export', address])).stdout);
    expect(after).toEqual({
      emailHmac: data.emailHmac,
      subscriptions: [],
      confirmationThrottles: [],
      deliveries: [],
      erasure: { erasedAt: expect.any(String) },
    });

    const bad = await esr(['subscriber', 'export', 'not-an-address']);
    expect(bad.code).toBe(EXIT_API);
    expect(bad.stderr).toContain('email');
    expect((await esr(['subscriber', 'erase'])).code).toBe(EXIT_USAGE);

    const shown = await esr(['campaign', 'show', campaignId]);
    expect(shown.stdout).toMatch(/confirmed subscribers: candidate 0, agent 0, returning-officer 0/);
  });

  it('cancels the campaign once another approver approves: its schedules are gone', async () => {
    const proposed = await esr(['campaign', 'cancel', campaignId]);
    expect(proposed.stdout).toMatch(/Proposed cancelling campaign/);
    const result = await esr(['--as', TEST_APPROVER.email, 'campaign', 'approve', campaignId]);

    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout).toMatch(/Approved cancelling campaign .*nothing more will be sent/);
    expect(ctx.stack.emulator.listSchedules().filter((s) => s.Name.includes(campaignId))).toEqual([]);
  });

  it('runs as bin/esr.js: lists over HTTP, and says when the API cannot be reached', async () => {
    const ok = await spawnEsr(['campaign', 'list'], {
      ESR_API_URL: ctx.stack.apiUrl,
      ESR_ADMIN_TOKEN: ctx.stack.adminToken,
    });
    expect(ok.code).toBe(EXIT_OK);
    expect(ok.stdout).toMatch(
      new RegExp(`${campaignId}\\s+Anytown council 2027\\s+2027-05-13\\s+england\\s+cancelled`),
    );

    const down = await spawnEsr(['campaign', 'list'], {
      ESR_API_URL: 'http://127.0.0.1:1',
      ESR_ADMIN_TOKEN: 'x',
    });
    expect(down.code).toBe(EXIT_API);
    expect(down.stderr).toContain('Cannot reach the API at http://127.0.0.1:1 — is `npm start` running?');
  });
});
