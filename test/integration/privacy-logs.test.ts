/**
 * Runs the whole subscriber journey, with its error paths, while capturing everything written to
 * stdout, stderr and the console (Powertools logs go to stdout), and looks for personal data.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCAL_TABLE_NAME } from '../../local/stack';
import { bootLocalStack } from '../support/local-stack';
import {
  emailsTo,
  header,
  linkIn,
  postForm,
  postJson,
  seedCampaign,
  sesMark,
  tableClient,
} from '../support/subscriptions';

describe('logs of the subscriber journey', () => {
  let local: Awaited<ReturnType<typeof bootLocalStack>>;
  const captured: string[] = [];
  const capture = (...args: unknown[]) => {
    captured.push(
      args
        .map((arg) =>
          typeof arg === 'string'
            ? arg
            : arg instanceof Uint8Array
              ? Buffer.from(arg).toString()
              : JSON.stringify(arg),
        )
        .join(' '),
    );
  };

  beforeAll(async () => {
    local = await bootLocalStack();
    const db = tableClient(local.stack.dynamodbEndpoint);
    await seedCampaign(db, LOCAL_TABLE_NAME, {
      id: 'privacy-2027',
      name: 'Privacy test election',
      pollDate: '2099-05-07',
    });
    db.destroy();
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await local?.stop();
  });

  it('contains no email address, name or token', async () => {
    const api = local.stack.apiUrl;
    const email = 'Private.Person@Example.org';
    const name = 'Ophelia Quartermaine';
    const mark = await sesMark(local.stack.sesEndpoint);
    const stdout = process.stdout.write.bind(process.stdout);
    const stderr = process.stderr.write.bind(process.stderr);
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      capture(chunk);
      return stdout(chunk, ...(rest as []));
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      capture(chunk);
      return stderr(chunk, ...(rest as []));
    });
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation(capture);
    }

    // The journey, with bad input, a repeat, a throttled post and bad links on the way.
    const body = { email, name, role: 'candidate', campaignId: 'privacy-2027', consent: true };
    expect((await postJson(`${api}/subscriptions`, { ...body, role: 'wizard' })).status).toBe(400);
    expect((await postForm(`${api}/subscriptions`, { email, name, role: 'candidate' })).status).toBe(400);
    for (let i = 0; i < 4; i++) expect((await postJson(`${api}/subscriptions`, body)).status).toBe(202);
    await local.stack.emulator.drain();
    const [confirmation] = await emailsTo(local.stack.sesEndpoint, email.toLowerCase(), mark);
    const confirmLink = linkIn(confirmation as NonNullable<typeof confirmation>, '/subscriptions/confirm');
    const confirmToken = new URL(confirmLink).searchParams.get('token') as string;
    expect((await fetch(confirmLink)).status).toBe(200);
    expect((await postForm(`${api}/subscriptions/confirm`, { token: `${confirmToken}x` })).status).toBe(400);
    expect((await postForm(`${api}/subscriptions/confirm`, { token: confirmToken })).status).toBe(200);
    expect((await postForm(`${api}/subscriptions/confirm`, { token: confirmToken })).status).toBe(200);
    const welcome = (await emailsTo(local.stack.sesEndpoint, email.toLowerCase(), mark)).find((m) =>
      m.subject.startsWith('You are signed up'),
    );
    const unsubscribeUrl = (header(welcome as NonNullable<typeof welcome>, 'List-Unsubscribe') ?? '').slice(
      1,
      -1,
    );
    const unsubscribeToken = new URL(unsubscribeUrl).searchParams.get('token') as string;
    expect((await fetch(unsubscribeUrl)).status).toBe(200);
    expect((await postForm(unsubscribeUrl, { 'List-Unsubscribe': 'One-Click' })).status).toBe(200);
    expect((await postForm(`${api}/unsubscribe?token=${confirmToken}`, { scope: 'all' })).status).toBe(400);
    vi.restoreAllMocks();

    const logs = captured.join('\n');
    expect(logs).toContain('Confirmation email sent');
    expect(logs).toContain('Subscription confirmed');
    expect(logs).toContain('Unsubscribed');
    expect(logs).toContain('Link refused');
    const lower = logs.toLowerCase();
    for (const secret of [email, 'private.person', 'example.org', name, 'ophelia', 'quartermaine']) {
      expect(lower, secret).not.toContain(secret.toLowerCase());
    }
    for (const token of [confirmToken, unsubscribeToken]) {
      for (const part of token.split('.').slice(1)) expect(logs).not.toContain(part);
    }
  });
});
