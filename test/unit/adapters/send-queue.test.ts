import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSendQueue } from '../../../functions/lib/adapters/sqs/send-queue';
import type { SendBatchMessage } from '../../../functions/lib/delivery/model';

const sqs = mockClient(SQSClient);
const queue = () =>
  createSendQueue(new SQSClient({ region: 'eu-west-2' }), 'https://sqs.eu-west-2.amazonaws.com/1/send');
const message: SendBatchMessage = {
  campaignId: 'abcdefghijk23456',
  stepKey: 'secure-accounts',
  version: 1,
  role: 'candidate',
  recipients: ['a'.repeat(43)],
  attempt: 1,
};

beforeEach(() => {
  sqs.reset();
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

const delays = () =>
  sqs
    .commandCalls(SendMessageBatchCommand)
    .flatMap((call) => call.args[0].input.Entries?.map((e) => e.DelaySeconds));

describe('SQS send queue adapter', () => {
  it.each([
    [1800, 900],
    [900, 900],
    [30.4, 30],
    [-5, 0],
    [Number.NaN, 0],
  ])('caps a delay of %s seconds to %s, within SQS’s 0 to 900', async (asked, sent) => {
    await queue().enqueue([message], asked);

    expect(delays()).toEqual([sent]);
  });

  it('sends ten messages per SendMessageBatch call, with no delay by default', async () => {
    await queue().enqueue(Array.from({ length: 12 }, () => message));

    expect(sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries?.length)).toEqual([
      10, 2,
    ]);
    expect(new Set(delays())).toEqual(new Set([0]));
  });
});
