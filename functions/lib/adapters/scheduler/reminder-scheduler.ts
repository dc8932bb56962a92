import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { SchedulingFailedError } from '../../campaigns/errors';
import type { DispatchInput } from '../../campaigns/model';
import type { ReminderSchedule, ReminderScheduler } from '../../campaigns/ports';
import { hasErrorName } from '../../errors';

export interface ReminderSchedulerConfig {
  /** The stack's schedule group (SCHEDULE_GROUP). */
  groupName: string;
  /** The role Scheduler assumes to invoke the target and write to the DLQ (SCHEDULER_ROLE_ARN). */
  roleArn: string;
  /** The dispatch function (DISPATCH_FUNCTION_ARN). */
  targetArn: string;
  /** Where Scheduler puts an invocation that keeps failing (SCHEDULE_DLQ_ARN). */
  deadLetterArn: string;
}

/**
 * Retries for a failing dispatch: a reminder more than an hour late is no longer useful, so after
 * that (or 5 retries) the firing goes to the dead-letter queue, whose alarm calls a person.
 */
const RETRY_POLICY = { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 } as const;

/**
 * The IANA canonical name of a time zone (`europe/london`, `GB` and `Europe/Belfast` all become
 * `Europe/London`), as ICU resolves it: Scheduler takes the zone as given and matches its names
 * exactly, so what it stores and shows is the one canonical spelling. An unknown zone throws.
 */
export const canonicalTimeZone = (timezone: string): string => {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch (error) {
    throw new SchedulingFailedError(`Time zone ${JSON.stringify(timezone)} is not an IANA time zone.`, {
      cause: error,
    });
  }
};

/** The one-time schedule for a step, exactly as CreateSchedule and UpdateSchedule take it. */
const scheduleInput = (
  config: ReminderSchedulerConfig,
  schedule: ReminderSchedule,
): CreateScheduleCommandInput => {
  const input: DispatchInput = {
    campaignId: schedule.campaignId,
    stepKey: schedule.stepKey,
    version: schedule.version,
  };
  return {
    Name: schedule.name,
    GroupName: config.groupName,
    // Local wall-clock time read in the zone: 09:00 stays 09:00 across the clock change.
    ScheduleExpression: `at(${schedule.localTime})`,
    ScheduleExpressionTimezone: canonicalTimeZone(schedule.timezone),
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    State: 'ENABLED',
    Description: `Campaign ${schedule.campaignId} step ${schedule.stepKey} (schedule version ${schedule.version})`,
    Target: {
      Arn: config.targetArn,
      RoleArn: config.roleArn,
      // Ids only: dispatch reads everything else from the table at firing time.
      Input: JSON.stringify(input),
      RetryPolicy: { ...RETRY_POLICY },
      DeadLetterConfig: { Arn: config.deadLetterArn },
    },
  };
};

const failed = (action: string, name: string, error: unknown) =>
  new SchedulingFailedError(
    `EventBridge Scheduler could not ${action} schedule ${name} (${(error as Error)?.name ?? 'unknown error'}).`,
    { cause: error },
  );

/** The ReminderScheduler port on EventBridge Scheduler (and the local stand-in, which speaks its API). */
export const createReminderScheduler = (
  client: SchedulerClient,
  config: ReminderSchedulerConfig,
): ReminderScheduler => ({
  async upsert(schedule) {
    const input = scheduleInput(config, schedule);
    try {
      await client.send(new CreateScheduleCommand(input));
      return;
    } catch (error) {
      // Deterministic names make a repeat harmless: the schedule exists, so replace it.
      if (!hasErrorName(error, 'ConflictException')) {
        throw failed('create', schedule.name, error);
      }
    }
    try {
      await client.send(new UpdateScheduleCommand(input));
    } catch (error) {
      throw failed('update', schedule.name, error);
    }
  },

  async remove(name) {
    try {
      await client.send(new DeleteScheduleCommand({ Name: name, GroupName: config.groupName }));
    } catch (error) {
      // Already fired (ActionAfterCompletion DELETE) or removed before: the goal is met.
      if (hasErrorName(error, 'ResourceNotFoundException')) return;
      throw failed('delete', name, error);
    }
  },
});
