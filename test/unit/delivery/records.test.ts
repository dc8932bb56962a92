import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { answerSendRecords, sendQueueBatchFailures } from '../../../functions/lib/delivery/records';
import type { SendDeps } from '../../../functions/lib/delivery/send';

/** Dependencies that fail the test if the sender touches any of them. */
const untouchable = new Proxy({} as SendDeps, {
  get: (_target, name) => {
    throw new Error(`the sender used ${String(name)}`);
  },
});

const record = (messageId: string, body: string) => ({ messageId, body }) as SQSRecord;
const message = JSON.stringify({
  campaignId: 'c1',
  stepKey: 'polling-day',
  version: 1,
  role: 'candidate',
  recipients: ['h0000000000000000001'],
});

describe('answerSendRecords (the send function’s partial batch failures)', () => {
  it.each([
    ['no time is left for any record', [record('m1', message), record('m2', message)], 14_999, ['m1', 'm2']],
    ['a record is not JSON', [record('m1', '{not json')], Number.POSITIVE_INFINITY, ['m1']],
    ['a record fails validation', [record('m1', '{"campaignId":""}')], Number.POSITIVE_INFINITY, ['m1']],
    ['there are no records', [], Number.POSITIVE_INFINITY, []],
  ])(
    'brings back each record not sent when %s, touching nothing',
    async (_case, records, remaining, expected) => {
      // Act
      const answer = await answerSendRecords(untouchable, records, () => remaining);

      // Assess
      expect(answer.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(expected);
    },
  );
});

describe('sendQueueBatchFailures', () => {
  it('lets an invocation that failed as a whole fail (Lambda backs off), instead of reporting every record', async () => {
    // Prepare: the send wiring cannot be built (as when SES GetAccount fails at a cold start).
    const handler = middy<SQSEvent>({ timeoutEarlyInMillis: 0 })
      .use(sendQueueBatchFailures())
      .handler(async () => {
        throw Object.assign(new Error('GetAccount failed'), { name: 'InternalFailure' });
      });

    // Act
    const invocation = handler({ Records: [record('m1', message)] }, {} as Context);

    // Assess
    await expect(invocation).rejects.toMatchObject({ name: 'InternalFailure' });
  });
});
