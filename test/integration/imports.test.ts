/**
 * Imports on the whole local stack: the admin API takes a CSV, the import worker (SQS stand-in
 * consumer) writes the sign-ups and queues the invitations, the confirmation worker emails them
 * through the SES emulator. Re-importing the same file invites nobody; suppressed and unsubscribed
 * addresses are reported, never invited; nothing personal reaches a queue message.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_OK, main } from '../../cli/esr';
import { keys } from '../../functions/lib/storage/table';
import { createEmailHasher } from '../../functions/lib/subscriptions/email';
import { LOCAL_TABLE_NAME } from '../../local/stack';
import { bootLocalStack } from '../support/local-stack';
import { linkIn, postForm, seedCampaign, sentSince, sesMark, tableClient } from '../support/subscriptions';

const DAY_MS = 24 * 60 * 60 * 1000;
const TOKEN = 'test-admin-token';
const ORGANISER = 'Anytown Borough Council';

describe('imports (local stack)', () => {
  let local: Awaited<ReturnType<typeof bootLocalStack>>;
  let api: string;
  let ses: string;
  let db: ReturnType<typeof tableClient>;
  const campaignId = 'import-locals-2027';
  const queueBodies: string[] = [];

  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${api}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, ...(init.headers as Record<string, string>) },
    });
  const postCsv = (csv: string, id = campaignId) =>
    admin(`/admin/campaigns/${id}/imports`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: csv,
    });
  const waitForJob = async (jobId: string) => {
    for (let i = 0; i < 600; i++) {
      const job = (await (await admin(`/admin/imports/${jobId}`)).json()) as Record<string, unknown>;
      if (job.state === 'done' || job.state === 'stopped') {
        await local.stack.emulator.drain();
        return job;
      }
      // Note every message on the queues while the job runs: ids only, never an address.
      for (const name of ['import', 'confirmation'])
        for (const message of local.stack.emulator.peek(name)) queueBodies.push(message.Body);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the import did not finish');
  };

  beforeAll(async () => {
    local = await bootLocalStack();
    api = local.stack.apiUrl;
    ses = local.stack.sesEndpoint;
    db = tableClient(local.stack.dynamodbEndpoint);
    const pollDate = new Date(Date.now() + 200 * DAY_MS).toISOString().slice(0, 10);
    await seedCampaign(db, LOCAL_TABLE_NAME, {
      id: campaignId,
      name: 'Anytown local elections 2027',
      pollDate,
    });
    await db.send(
      new UpdateCommand({
        TableName: LOCAL_TABLE_NAME,
        Key: keys.campaign(campaignId),
        UpdateExpression: 'SET organiser = :organiser',
        ExpressionAttributeValues: {
          ':organiser': { name: ORGANISER, email: 'elections@anytown.example.org' },
        },
      }),
    );
    await seedCampaign(db, LOCAL_TABLE_NAME, {
      id: 'cancelled-2027',
      name: 'Cancelled',
      pollDate,
      status: 'cancelled',
    });
  }, 60_000);
  afterAll(async () => {
    db?.destroy();
    await local?.stop();
  });

  it('invites each valid row once, naming the organiser; reports the rest by line; a re-import invites nobody', async () => {
    const secret = (await readFile(join(local.dataDir, 'token-key'), 'utf8')).trim();
    const hash = createEmailHasher(Buffer.from(secret));
    // An address that bounced before, and one that left the campaign: neither may be invited.
    await db.send(
      new PutCommand({
        TableName: LOCAL_TABLE_NAME,
        Item: { ...keys.suppression(hash('bounced@example.org')), reason: 'bounce' },
      }),
    );
    const leftHmac = hash('left@example.org');
    await db.send(
      new PutCommand({
        TableName: LOCAL_TABLE_NAME,
        Item: {
          ...keys.subscription(leftHmac, campaignId),
          emailHmac: leftHmac,
          campaignId,
          role: 'candidate',
          status: 'unsubscribed',
          source: 'one-click',
          consentAt: '2026-01-01T00:00:00.000Z',
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
          history: [],
          version: 2,
          expiresAt: Math.floor(Date.now() / 1000) + 86_400,
        },
      }),
    );
    const staff = Array.from({ length: 30 }, (_, i) => `staff${i}@example.org`);
    const csv = [
      '\uFEFFemail,name,role',
      ...staff.map((email) => `${email},"Staff Member",polling-staff`),
      'not-an-address,,agent', // line 32
      '', // 33
      'bounced@example.org,,agent', // 34
      'left@example.org,,candidate', // 35
      'STAFF0@example.org,,candidate', // 36
      'zed@example.org,,mayor', // 37
      '',
    ].join('\r\n');
    const mark = await sesMark(ses);
    const created = await postCsv(csv);
    expect(created.status).toBe(202);
    const job = (await created.json()) as { jobId: string };
    expect(created.headers.get('location')).toBe(`/admin/imports/${job.jobId}`);
    expect(job).toMatchObject({ total: 35, done: 3, rejected: 3, invited: 0 });

    const done = await waitForJob(job.jobId);
    expect(done).toMatchObject({ state: 'done', total: 35, done: 35, invited: 30, rejected: 5, skipped: 0 });
    expect(done.firstInvitationAt).toEqual(expect.any(String));
    expect(done.lines).toEqual([
      { line: 32, reason: 'malformed-address', email: 'not-an-address' },
      { line: 34, reason: 'suppressed', email: 'bounced@example.org' },
      { line: 35, reason: 'unsubscribed', email: 'left@example.org' },
      { line: 36, reason: 'duplicate-in-file', email: 'STAFF0@example.org' },
      { line: 37, reason: 'unknown-role', email: 'zed@example.org' },
    ]);

    const sent = await sentSince(ses, mark);
    expect(sent.map((email) => email.destination.to[0]).sort()).toEqual([...staff].sort());
    const [first] = sent;
    expect(first?.subject).toBe('Confirm you want election security reminders');
    expect(first?.body.text?.replace(/\s+/g, ' ')).toContain(
      `${ORGANISER} has invited you to get election security reminders for Anytown local elections 2027`,
    );
    expect(first?.body.text).toContain('because you were invited to');

    // The invitation confirms like any sign-up, and the history says it came from an import.
    const confirmUrl = new URL(linkIn(first as never, '/subscriptions/confirm'));
    const confirmed = await postForm(`${api}/subscriptions/confirm`, {
      token: confirmUrl.searchParams.get('token') as string,
    });
    expect(confirmed.status).toBeLessThan(400);

    // Nothing personal in any queue message seen while it ran.
    expect(queueBodies.length).toBeGreaterThan(0);
    for (const body of queueBodies) expect(body).not.toMatch(/@|Staff Member/);

    // The same file again: everyone is already invited (or subscribed); nobody gets a second email.
    const again = await postCsv(csv);
    const second = await waitForJob(((await again.json()) as { jobId: string }).jobId);
    expect(second).toMatchObject({ state: 'done', invited: 0, rejected: 5, skipped: 30 });
    expect(
      (second.lines as { reason: string }[]).filter((line) => line.reason === 'already-invited'),
    ).toHaveLength(29);
    expect(
      (second.lines as { reason: string }[]).filter((line) => line.reason === 'already-subscribed'),
    ).toHaveLength(1);
    const afterSecond = await sentSince(ses, mark);
    expect(afterSecond.filter((email) => email.subject.startsWith('Confirm'))).toHaveLength(30);
  }, 120_000);

  it('answers 4xx for a bad file, a campaign that is not open, and an unknown job', async () => {
    const missingRole = await postCsv('email,name\nann@example.org,Ann\n');
    expect(missingRole.status).toBe(400);
    expect(await missingRole.json()).toMatchObject({
      error: 'validation',
      issues: [{ path: 'header.role' }],
    });
    expect((await postCsv('email,role\nann@example.org,agent\n', 'cancelled-2027')).status).toBe(409);
    expect((await postCsv('email,role\nann@example.org,agent\n', 'no-such-campaign')).status).toBe(404);
    const wrongType = await admin(`/admin/campaigns/${campaignId}/imports`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<x/>',
    });
    expect(wrongType.status).toBe(415);
    const json = await admin(`/admin/campaigns/${campaignId}/imports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ csv: 'email,role\njson@example.org,agent\n' }),
    });
    expect(json.status).toBe(202);
    await waitForJob(((await json.json()) as { jobId: string }).jobId);
    expect((await admin('/admin/imports/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await admin('/admin/imports/not-a-job')).status).toBe(404);
    const unauthorised = await fetch(`${api}/admin/campaigns/${campaignId}/imports`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'email,role\n',
    });
    expect(unauthorised.status).toBe(401);
  }, 60_000);

  it('esr import waits with a progress bar and prints the report; --no-wait prints the job id; status shows it', async () => {
    const esr = async (args: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await main(args, {
        stdout: (text) => {
          stdout += text;
        },
        stderr: (text) => {
          stderr += text;
        },
        env: { ESR_API_URL: api, ESR_ADMIN_TOKEN: TOKEN },
        cwd: local.dataDir,
        pollMs: 50,
      });
      return { code, stdout, stderr };
    };
    const rows = Array.from({ length: 12 }, (_, i) => `cli${i}@example.org,,agent`);
    await writeFile(join(local.dataDir, 'staff.csv'), `email,name,role\n${rows.join('\n')}\nbad,,agent\n`);

    const waited = await esr(['import', 'staff.csv', '--campaign', campaignId]);
    expect(waited.stderr).toBe('');
    expect(waited.code).toBe(EXIT_OK);
    expect(waited.stdout).toMatch(/\[#{24}\] 13\/13 rows .*invited 12, rejected 1, skipped 0 {2}\(done\)/);
    expect(waited.stdout).toMatch(/LINE +REASON +EMAIL/);
    expect(waited.stdout).toMatch(/14 +malformed-address +bad/);

    const queued = await esr(['import', 'staff.csv', '--campaign', campaignId, '--no-wait']);
    expect(queued.code).toBe(EXIT_OK);
    const jobId = queued.stdout.match(/esr import status ([0-9a-f-]{36})/)?.[1] as string;
    expect(jobId).toBeDefined();
    await waitForJob(jobId);
    const status = await esr(['import', 'status', jobId]);
    expect(status.code).toBe(EXIT_OK);
    expect(status.stdout).toContain('invited 0, rejected 1, skipped 12');
    expect(status.stdout).toMatch(/already-invited/);
    expect((await esr(['import', 'staff.csv'])).code).toBe(2);
  }, 60_000);
});
