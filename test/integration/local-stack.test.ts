import { CreateScheduleCommand, GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionArn } from '../../local/aws-emulator';
import { bootLocalStack } from '../support/local-stack';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('local stack', () => {
  let local: Awaited<ReturnType<typeof bootLocalStack>>;
  let api: string;

  beforeAll(async () => {
    local = await bootLocalStack();
    api = local.stack.apiUrl;
  });
  afterAll(async () => {
    await local.stop();
  });

  it('answers GET /health with 200 {"status":"ok"} once every part is up', async () => {
    const response = await fetch(`${api}/health`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('lists no open campaigns before any exist', async () => {
    const response = await fetch(`${api}/campaigns`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([]);
  });

  it('answers an unknown route with a JSON 404, not a 500', async () => {
    const response = await fetch(`${api}/no-such-page`);

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });

  it('refuses admin routes without the bearer token and serves them with it', async () => {
    const without = await fetch(`${api}/admin/campaigns`);
    const wrong = await fetch(`${api}/admin/campaigns`, { headers: { authorization: 'Bearer nope' } });
    const right = await fetch(`${api}/admin/campaigns`, {
      headers: { authorization: `Bearer ${local.stack.adminToken}` },
    });

    expect(without.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(right.status).toBe(200);
  });

  it('loads every email template into the SES emulator at start', async () => {
    const store = (await (await fetch(`${local.stack.sesEndpoint}/store`)).json()) as {
      templates: Record<string, unknown>;
    };

    expect(local.stack.templatesLoaded).toBeGreaterThan(0);
    expect(Object.keys(store.templates)).toHaveLength(local.stack.templatesLoaded);
    expect(store.templates).toHaveProperty('confirm-subscription');
  });

  it('tells the local time and refuses a clock setting that is not an ISO date-time', async () => {
    const bad = await fetch(`${api}/local/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ now: 'next Tuesday' }),
    });
    const malformed = await fetch(`${api}/local/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    // A cross-site form could POST text/plain without a preflight: refused.
    const plain = await fetch(`${api}/local/clock`, {
      method: 'POST',
      body: '{"now":"2030-01-01T00:00:00Z"}',
    });
    const now = await fetch(`${api}/local/clock`);

    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'validation', issues: [{ path: 'now' }] });
    expect(malformed.status).toBe(400);
    expect(plain.status).toBe(415);
    expect(now.status).toBe(200);
    expect(Date.parse(((await now.json()) as { now: string }).now)).not.toBeNaN();
  });

  it('answers /local routes only to a Host of 127.0.0.1 or localhost (no DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const get = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${api}/local/clock`, { headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    const port = new URL(api).port;

    expect(await get(`127.0.0.1:${port}`)).toBe(200);
    expect(await get(`localhost:${port}`)).toBe(200);
    expect(await get(`attacker.example:${port}`)).toBe(403);
    expect(await get('127.0.0.1.attacker.example')).toBe(403);
  });

  it('answers HEAD on pages, 405 with Allow for a wrong method, and X-XSS-Protection: 0 on every answer', async () => {
    const head = await fetch(`${api}/`, { method: 'HEAD' });
    const wrongPage = await fetch(`${api}/`, { method: 'DELETE' });
    const wrongLocal = await fetch(`${api}/local/clock`, { method: 'PUT' });
    const answers = [
      head,
      wrongPage,
      wrongLocal,
      await fetch(`${api}/`),
      await fetch(`${api}/health`),
      await fetch(`${api}/no-such-page`),
      await fetch(`${api}/admin/campaigns`),
      await fetch(`${api}/local/clock`),
    ];

    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toContain('text/html');
    expect(await head.text()).toBe('');
    expect(wrongPage.status).toBe(405);
    expect(wrongPage.headers.get('allow')).toBe('GET, HEAD');
    expect(wrongLocal.status).toBe(405);
    expect(wrongLocal.headers.get('allow')).toBe('GET, POST');
    expect(answers.map((answer) => answer.headers.get('x-xss-protection'))).toEqual(answers.map(() => '0'));
  });

  it('fires a one-time schedule through the Scheduler stand-in when the local clock passes it, once', async () => {
    const received: unknown[] = [];
    local.stack.emulator.registerFunction('probe', async (event) => {
      received.push(event);
    });
    const scheduler = new SchedulerClient({
      endpoint: local.stack.awsEndpoint,
      region: 'eu-west-2',
      credentials,
    });
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'probe-1',
        GroupName: 'esr-local',
        ScheduleExpression: 'at(2030-04-01T09:00:00)',
        ScheduleExpressionTimezone: 'Europe/London',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: {
          Arn: functionArn('probe'),
          RoleArn: 'arn:aws:iam::000000000000:role/local',
          Input: '{"id":"c1"}',
        },
      }),
    );

    // 09:00 in London on 1 April 2030 is 08:00Z: British Summer Time began on 31 March.
    const early = await setClock(api, '2030-04-01T07:59:59Z');
    const due = await setClock(api, '2030-04-01T08:00:00Z');
    const again = await setClock(api, '2030-04-02T08:00:00Z');

    expect(early.fired).toEqual([]);
    expect(due.fired).toMatchObject([{ schedule: 'probe-1', outcome: 'succeeded' }]);
    expect(again.fired).toEqual([]);
    expect(received).toEqual([{ id: 'c1' }]);
    await expect(
      scheduler.send(new GetScheduleCommand({ Name: 'probe-1', GroupName: 'esr-local' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('refuses to create the same schedule twice with a ConflictException', async () => {
    const scheduler = new SchedulerClient({
      endpoint: local.stack.awsEndpoint,
      region: 'eu-west-2',
      credentials,
    });
    const input = {
      Name: 'probe-twice',
      GroupName: 'esr-local',
      ScheduleExpression: 'at(2031-01-01T09:00:00)',
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      Target: { Arn: functionArn('probe'), RoleArn: 'arn:aws:iam::000000000000:role/local' },
    };
    await scheduler.send(new CreateScheduleCommand(input));

    await expect(scheduler.send(new CreateScheduleCommand(input))).rejects.toMatchObject({
      name: 'ConflictException',
    });
  });

  it('delivers SQS batches to the consumer, retries only the failed records and dead-letters them after maxReceiveCount', async () => {
    const seen: string[] = [];
    local.stack.emulator.createQueue('probe-dlq');
    local.stack.emulator.createQueue('probe-queue', {
      consumer: {
        functionName: 'probe-consumer',
        batchSize: 10,
        handler: async (event) => {
          const records = (event as SQSEvent).Records;
          seen.push(...records.map((record) => record.body));
          return {
            batchItemFailures: records
              .filter((r) => r.body === 'poison')
              .map((r) => ({ itemIdentifier: r.messageId })),
          };
        },
      },
      deadLetter: { queueName: 'probe-dlq', maxReceiveCount: 3 },
      visibilityTimeoutMs: 0,
    });
    const sqs = new SQSClient({ endpoint: local.stack.awsEndpoint, region: 'eu-west-2', credentials });

    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: local.stack.emulator.queueUrl('probe-queue'),
        Entries: [
          { Id: 'a', MessageBody: 'good' },
          { Id: 'b', MessageBody: 'poison' },
        ],
      }),
    );
    await local.stack.emulator.drain();

    expect(sent.Successful).toHaveLength(2);
    expect(seen.filter((body) => body === 'good')).toHaveLength(1);
    expect(seen.filter((body) => body === 'poison')).toHaveLength(3);
    expect(local.stack.emulator.peek('probe-queue')).toHaveLength(0);
    expect(local.stack.emulator.peek('probe-dlq').map((m) => m.Body)).toEqual(['poison']);
    // Over the wire, the queue's redrive policy names the dead-letter queue by the ARN that queue reports.
    const attributes = async (name: string) =>
      (
        await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: local.stack.emulator.queueUrl(name),
            AttributeNames: ['All'],
          }),
        )
      ).Attributes ?? {};
    const redrive = JSON.parse((await attributes('probe-queue')).RedrivePolicy ?? '{}');
    expect(redrive).toEqual({
      deadLetterTargetArn: (await attributes('probe-dlq')).QueueArn,
      maxReceiveCount: 3,
    });
  });
});

const setClock = async (api: string, now: string) => {
  const response = await fetch(`${api}/local/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ now }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { now: string; fired: { schedule: string; outcome: string }[] };
};
