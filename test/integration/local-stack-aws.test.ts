import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  GetScheduleCommand,
  ListSchedulesCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionArn } from '../../local/aws-emulator';
import { LOCAL_TOKEN_SECRET_NAME } from '../../local/stack';
import { bootLocalStack } from '../support/local-stack';

/** The stand-ins as the AWS SDK and the AWS CLI see them: AWS's validation, errors and read operations. */
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const run = promisify(execFile);

describe('the local AWS stand-ins', () => {
  let local: Awaited<ReturnType<typeof bootLocalStack>>;
  let scheduler: SchedulerClient;
  let sqs: SQSClient;
  let secrets: SecretsManagerClient;
  const aws = async (...args: string[]) => {
    const { stdout } = await run(
      'aws',
      ['--endpoint-url', local.stack.awsEndpoint, '--output', 'json', ...args],
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_DEFAULT_REGION: 'eu-west-2',
        },
      },
    );
    return JSON.parse(stdout || '{}');
  };
  const schedule = (
    name: string,
    overrides: Partial<CreateScheduleCommandInput> = {},
  ): CreateScheduleCommandInput => ({
    Name: name,
    GroupName: 'esr-local',
    ScheduleExpression: 'at(2031-06-01T09:00:00)',
    ScheduleExpressionTimezone: 'Europe/London',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    Target: { Arn: functionArn('probe'), RoleArn: 'arn:aws:iam::000000000000:role/local', Input: '{"v":1}' },
    ...overrides,
  });
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a refusal');
      },
      (error: { name: string; $metadata?: { httpStatusCode?: number }; Code?: string }) => ({
        name: error.name,
        status: error.$metadata?.httpStatusCode,
        ...(error.Code ? { code: error.Code } : {}),
      }),
    );

  beforeAll(async () => {
    local = await bootLocalStack();
    scheduler = new SchedulerClient({ endpoint: local.stack.awsEndpoint, region: 'eu-west-2', credentials });
    sqs = new SQSClient({ endpoint: local.stack.awsEndpoint, region: 'eu-west-2', credentials });
    secrets = new SecretsManagerClient({
      endpoint: local.stack.awsEndpoint,
      region: 'eu-west-2',
      credentials,
    });
  });
  afterAll(async () => {
    scheduler.destroy();
    sqs.destroy();
    secrets.destroy();
    await local.stop();
  });

  it('refuses schedules as Scheduler does: 400 ValidationException, 404 for a missing group, 409 for a repeat', async () => {
    const cases = await Promise.all([
      refusal(scheduler.send(new CreateScheduleCommand(schedule('x'.repeat(65))))),
      refusal(scheduler.send(new CreateScheduleCommand(schedule('has space')))),
      refusal(
        scheduler.send(
          new CreateScheduleCommand(schedule('bad-at', { ScheduleExpression: 'at(2031-02-30T09:00:00)' })),
        ),
      ),
      refusal(
        scheduler.send(
          new CreateScheduleCommand(schedule('bad-at2', { ScheduleExpression: 'at(2031-06-01 09:00)' })),
        ),
      ),
      refusal(
        scheduler.send(
          new CreateScheduleCommand(schedule('bad-zone', { ScheduleExpressionTimezone: 'Europe/Londn' })),
        ),
      ),
      refusal(
        scheduler.send(
          new CreateScheduleCommand(
            schedule('bad-retries', {
              Target: {
                Arn: functionArn('probe'),
                RoleArn: 'arn:aws:iam::000000000000:role/local',
                RetryPolicy: { MaximumRetryAttempts: 186, MaximumEventAgeInSeconds: 59 },
              },
            }),
          ),
        ),
      ),
      refusal(
        scheduler.send(new CreateScheduleCommand(schedule('no-group', { GroupName: 'nobody-made-this' }))),
      ),
      refusal(scheduler.send(new UpdateScheduleCommand(schedule('never-created')))),
    ]);
    await scheduler.send(new CreateScheduleCommand(schedule('x'.repeat(64))));
    const repeat = await refusal(scheduler.send(new CreateScheduleCommand(schedule('x'.repeat(64)))));

    const validation = { name: 'ValidationException', status: 400 };
    const notFound = { name: 'ResourceNotFoundException', status: 404 };
    expect(cases).toEqual([
      validation,
      validation,
      validation,
      validation,
      validation,
      validation,
      notFound,
      notFound,
    ]);
    expect(repeat).toEqual({ name: 'ConflictException', status: 409 });
  });

  it('fires each version of a schedule once: an update landing while it fires is kept and fires in its turn', async () => {
    const received: unknown[] = [];
    local.stack.emulator.registerFunction('probe', async (event) => {
      if (!(event as { moving?: number }).moving) return;
      received.push(event);
      if ((event as { moving: number }).moving === 1) {
        // A reschedule arriving while the first version is being fired (as a poll-date move would).
        await scheduler.send(
          new UpdateScheduleCommand(
            schedule('moving', {
              ScheduleExpression: 'at(2031-06-08T09:00:00)',
              Target: { ...schedule('moving').Target, Input: '{"moving":2}' } as never,
            }),
          ),
        );
      }
    });
    const firstVersion = schedule('moving');
    await scheduler.send(
      new CreateScheduleCommand({
        ...firstVersion,
        Target: { ...firstVersion.Target, Input: '{"moving":1}' } as never,
      }),
    );

    const first = await local.stack.setClock(new Date('2031-06-01T08:00:00Z'));
    const kept = await scheduler.send(new GetScheduleCommand({ Name: 'moving', GroupName: 'esr-local' }));
    const again = await local.stack.setClock(new Date('2031-06-02T08:00:00Z'));
    const second = await local.stack.setClock(new Date('2031-06-08T08:00:00Z'));
    const third = await local.stack.setClock(new Date('2031-06-09T08:00:00Z'));

    expect(first.filter((f) => f.schedule === 'moving')).toHaveLength(1);
    expect(kept.ScheduleExpression).toBe('at(2031-06-08T09:00:00)');
    expect(again.filter((f) => f.schedule === 'moving')).toHaveLength(0);
    expect(second.filter((f) => f.schedule === 'moving')).toHaveLength(1);
    expect(third.filter((f) => f.schedule === 'moving')).toHaveLength(0);
    expect(received).toEqual([{ moving: 1 }, { moving: 2 }]);
    await expect(
      scheduler.send(new GetScheduleCommand({ Name: 'moving', GroupName: 'esr-local' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('lists and reads schedules through the SDK and the AWS CLI', async () => {
    await scheduler.send(new CreateScheduleCommand(schedule('listed-one')));
    const listed = await scheduler.send(new ListSchedulesCommand({ NamePrefix: 'listed-' }));
    const cli = await aws('scheduler', 'list-schedules', '--name-prefix', 'listed-');
    const got = await aws('scheduler', 'get-schedule', '--name', 'listed-one', '--group-name', 'esr-local');

    expect(listed.Schedules?.map((s) => s.Name)).toEqual(['listed-one']);
    expect(cli.Schedules).toMatchObject([{ Name: 'listed-one', GroupName: 'esr-local', State: 'ENABLED' }]);
    expect(got).toMatchObject({ Name: 'listed-one', ScheduleExpression: 'at(2031-06-01T09:00:00)' });
  });

  it('refuses SQS input as SQS does, with its error codes', async () => {
    local.stack.emulator.createQueue('rules');
    const QueueUrl = local.stack.emulator.queueUrl('rules');
    const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' }));
    const cases = await Promise.all([
      refusal(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', DelaySeconds: 901 }))),
      refusal(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(262_145) }))),
      refusal(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries(11) }))),
      refusal(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [] }))),
      refusal(
        sqs.send(
          new SendMessageBatchCommand({
            QueueUrl,
            Entries: [
              { Id: 'a', MessageBody: 'x' },
              { Id: 'a', MessageBody: 'y' },
            ],
          }),
        ),
      ),
      refusal(
        sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a b', MessageBody: 'x' }] })),
      ),
      refusal(
        sqs.send(
          new SendMessageBatchCommand({
            QueueUrl,
            Entries: [
              { Id: 'a', MessageBody: 'x'.repeat(200_000) },
              { Id: 'b', MessageBody: 'x'.repeat(100_000) },
            ],
          }),
        ),
      ),
      refusal(
        sqs.send(
          new SendMessageCommand({ QueueUrl: local.stack.emulator.queueUrl('nope'), MessageBody: 'x' }),
        ),
      ),
    ]);
    const fine = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', DelaySeconds: 900 }));

    expect(cases).toEqual([
      { name: 'InvalidParameterValue', status: 400, code: 'InvalidParameterValue' },
      { name: 'InvalidParameterValue', status: 400, code: 'InvalidParameterValue' },
      {
        name: 'TooManyEntriesInBatchRequest',
        status: 400,
        code: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
      },
      { name: 'EmptyBatchRequest', status: 400, code: 'AWS.SimpleQueueService.EmptyBatchRequest' },
      {
        name: 'BatchEntryIdsNotDistinct',
        status: 400,
        code: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
      },
      { name: 'InvalidBatchEntryId', status: 400, code: 'AWS.SimpleQueueService.InvalidBatchEntryId' },
      { name: 'BatchRequestTooLong', status: 400, code: 'AWS.SimpleQueueService.BatchRequestTooLong' },
      { name: 'QueueDoesNotExist', status: 400, code: 'AWS.SimpleQueueService.NonExistentQueue' },
    ]);
    expect(fine.MessageId).toBeDefined();
  });

  it('keeps a received message in flight, brings it back after its visibility timeout with its receive count, then dead-letters it', async () => {
    local.stack.emulator.createQueue('inspect-dlq');
    local.stack.emulator.createQueue('inspect', {
      deadLetter: { queueName: 'inspect-dlq', maxReceiveCount: 2 },
      visibilityTimeoutMs: 30_000,
    });
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'inspect' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"ids":["a"]}' }));
    const receive = (VisibilityTimeout?: number) =>
      sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          VisibilityTimeout,
          MessageSystemAttributeNames: ['All'],
          MaxNumberOfMessages: 10,
        }),
      );

    const first = await receive(1);
    const whileInFlight = await receive();
    const attributesInFlight = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await receive(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const third = await receive(1);
    const dead = await aws(
      'sqs',
      'receive-message',
      '--queue-url',
      local.stack.emulator.queueUrl('inspect-dlq'),
      '--attribute-names',
      'All',
    );
    await sqs.send(
      new DeleteMessageCommand({
        QueueUrl: local.stack.emulator.queueUrl('inspect-dlq'),
        ReceiptHandle: dead.Messages[0].ReceiptHandle,
      }),
    );
    const queues = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'inspect' }));
    const cliAttributes = await aws(
      'sqs',
      'get-queue-attributes',
      '--queue-url',
      QueueUrl as string,
      '--attribute-names',
      'All',
    );

    expect(first.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('1');
    expect(whileInFlight.Messages ?? []).toEqual([]);
    expect(attributesInFlight.Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '1',
    });
    expect(second.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(third.Messages ?? []).toEqual([]);
    expect(dead.Messages).toMatchObject([
      { MessageId: first.Messages?.[0]?.MessageId, Body: '{"ids":["a"]}' },
    ]);
    expect(local.stack.emulator.peek('inspect-dlq')).toEqual([]);
    expect(queues.QueueUrls).toEqual([QueueUrl, local.stack.emulator.queueUrl('inspect-dlq')]);
    expect(cliAttributes.Attributes).toMatchObject({
      VisibilityTimeout: '30',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: 'arn:aws:sqs:eu-west-2:000000000000:inspect-dlq',
        maxReceiveCount: 2,
      }),
    });
  });

  it('describes and lists secrets without their values, and reads a value by name or ARN', async () => {
    const listed = await secrets.send(new ListSecretsCommand({}));
    const described = await secrets.send(new DescribeSecretCommand({ SecretId: LOCAL_TOKEN_SECRET_NAME }));
    const value = await secrets.send(new GetSecretValueCommand({ SecretId: described.ARN }));
    const missing = await refusal(secrets.send(new DescribeSecretCommand({ SecretId: 'nope' })));

    expect(listed.SecretList?.map((s) => s.Name)).toEqual([LOCAL_TOKEN_SECRET_NAME]);
    expect(JSON.stringify(listed)).not.toContain(String(value.SecretString));
    expect(described.Name).toBe(LOCAL_TOKEN_SECRET_NAME);
    expect(value.SecretString?.length).toBeGreaterThanOrEqual(32);
    expect(missing).toEqual({ name: 'ResourceNotFoundException', status: 400 });
  });
});
