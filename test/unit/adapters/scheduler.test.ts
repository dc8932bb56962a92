import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';

import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createReminderScheduler } from '../../../functions/lib/adapters/scheduler/reminder-scheduler';
import { SchedulingFailedError } from '../../../functions/lib/campaigns/errors';
import type { ReminderSchedule } from '../../../functions/lib/campaigns/ports';
import { createOpenCampaign } from '../../support/campaigns';
import { makeDeps, ORGANISER } from '../campaigns/fakes';

const config = {
  groupName: 'esr-test',
  roleArn: 'arn:aws:iam::123456789012:role/esr-scheduler',
  targetArn: 'arn:aws:lambda:eu-west-2:123456789012:function:esr-dispatch',
  deadLetterArn: 'arn:aws:sqs:eu-west-2:123456789012:esr-schedule-dlq',
};

const reminder: ReminderSchedule = {
  name: 'esr-abcdefghijk23456-monday-after',
  campaignId: 'abcdefghijk23456',
  stepKey: 'monday-after',
  version: 2,
  localTime: '2027-03-29T09:00:00',
  timezone: 'Europe/London',
};

const expectedInput = {
  Name: 'esr-abcdefghijk23456-monday-after',
  GroupName: 'esr-test',
  ScheduleExpression: 'at(2027-03-29T09:00:00)',
  ScheduleExpressionTimezone: 'Europe/London',
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'DELETE',
  State: 'ENABLED',
  Description: 'Campaign abcdefghijk23456 step monday-after (schedule version 2)',
  Target: {
    Arn: config.targetArn,
    RoleArn: config.roleArn,
    Input: '{"campaignId":"abcdefghijk23456","stepKey":"monday-after","version":2}',
    RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 },
    DeadLetterConfig: { Arn: config.deadLetterArn },
  },
};

const scheduler = mockClient(SchedulerClient);
const adapter = () => createReminderScheduler(new SchedulerClient({ region: 'eu-west-2' }), config);

beforeEach(() => scheduler.reset());

describe('EventBridge Scheduler adapter', () => {
  it('creates a one-time schedule in local wall-clock time with its zone, DLQ, retries and ids-only input', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });

    await adapter().upsert(reminder);

    expect(scheduler.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input)).toEqual([
      expectedInput,
    ]);
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it.each(['europe/london', 'GB', 'Europe/Belfast'])(
    'sends the canonical zone Europe/London to Scheduler for %s',
    async (timezone) => {
      scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });

      await adapter().upsert({ ...reminder, timezone });

      const [call] = scheduler.commandCalls(CreateScheduleCommand);
      expect(call?.args[0].input.ScheduleExpressionTimezone).toBe('Europe/London');
    },
  );

  it('refuses an unknown time zone before calling Scheduler', async () => {
    await expect(adapter().upsert({ ...reminder, timezone: 'Mars/Olympus' })).rejects.toThrow(
      /Mars\/Olympus.* not an IANA time zone/,
    );
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
  });

  it('updates the schedule in place when it already exists (ConflictException)', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }))
      .on(UpdateScheduleCommand)
      .resolves({ ScheduleArn: 'arn' });

    await adapter().upsert(reminder);

    expect(scheduler.commandCalls(UpdateScheduleCommand).map((call) => call.args[0].input)).toEqual([
      expectedInput,
    ]);
  });

  it('reports throttling as a SchedulingFailedError naming the schedule and the AWS error', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    scheduler.on(CreateScheduleCommand).rejects(throttled);

    const error = await adapter()
      .upsert(reminder)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SchedulingFailedError);
    expect((error as Error).message).toBe(
      'EventBridge Scheduler could not create schedule esr-abcdefghijk23456-monday-after (ThrottlingException).',
    );
    expect((error as Error).cause).toBe(throttled);
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it('reports a failing update after a conflict', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }))
      .on(UpdateScheduleCommand)
      .rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));

    await expect(adapter().upsert(reminder)).rejects.toThrow(/could not update .*AccessDeniedException/);
  });

  it('deletes a schedule from the group, and treats one that is already gone as removed', async () => {
    scheduler
      .on(DeleteScheduleCommand)
      .resolvesOnce({})
      .rejectsOnce(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));

    await adapter().remove('esr-abcdefghijk23456-monday-after');
    await adapter().remove('esr-abcdefghijk23456-monday-after');

    expect(scheduler.commandCalls(DeleteScheduleCommand).map((call) => call.args[0].input)).toEqual([
      { Name: 'esr-abcdefghijk23456-monday-after', GroupName: 'esr-test' },
      { Name: 'esr-abcdefghijk23456-monday-after', GroupName: 'esr-test' },
    ]);
  });

  it('reports a failing delete', async () => {
    scheduler
      .on(DeleteScheduleCommand)
      .rejects(Object.assign(new Error('x'), { name: 'InternalServerException' }));

    await expect(adapter().remove('esr-x')).rejects.toBeInstanceOf(SchedulingFailedError);
  });

  it('gets the core campaign flow onto Scheduler with the clock change left to the time zone', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const deps = { ...makeDeps('2027-03-01T12:00:00Z'), scheduler: adapter() };

    await createOpenCampaign(deps, {
      name: 'Clock change',
      pollDate: '2027-05-06',
      nation: 'england',
      organiser: ORGANISER,
    });

    // 25 Mar (GMT) and 1 Apr (BST) both at 09:00 local: same wall clock, same zone.
    const inputs = scheduler.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input);
    const byStep = new Map(inputs.map((input) => [JSON.parse(input.Target?.Input ?? '{}').stepKey, input]));
    expect(byStep.get('secure-accounts')).toMatchObject({
      ScheduleExpression: 'at(2027-03-25T09:00:00)',
      ScheduleExpressionTimezone: 'Europe/London',
    });
    expect(byStep.get('lock-down-profiles')).toMatchObject({
      ScheduleExpression: 'at(2027-04-01T09:00:00)',
      ScheduleExpressionTimezone: 'Europe/London',
    });
    expect(inputs.every((input) => /^[0-9a-zA-Z\-_.]{1,64}$/.test(input.Name ?? ''))).toBe(true);
  });
});
