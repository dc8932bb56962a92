import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import type { LambdaHandler } from '../lambda';
import { lambdaContext } from '../lambda';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './account';
import { DurableFile } from './durable-file';
import { AwsError } from './errors';

/**
 * The EventBridge Scheduler stand-in: Scheduler's REST-JSON API (schedules and schedule groups),
 * its validation and error codes, and one-time `at()` schedules that invoke their target when due.
 * Each version of a schedule (each create or update) fires at most once; after firing, only that
 * version is deleted (ActionAfterCompletion DELETE), so an update landing while it fires survives
 * and fires in its turn. Schedules are kept in a file when given one, so a restart finds them all.
 */

export interface LocalSchedule {
  Name: string;
  GroupName: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  State: 'ENABLED' | 'DISABLED';
  ActionAfterCompletion: 'NONE' | 'DELETE';
  FlexibleTimeWindow: { Mode: 'OFF' | 'FLEXIBLE'; MaximumWindowInMinutes?: number };
  Description?: string;
  Target: {
    Arn: string;
    RoleArn: string;
    Input?: string;
    RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
    DeadLetterConfig?: { Arn?: string };
  };
  CreationDate: number;
  LastModificationDate: number;
}

interface StoredSchedule extends LocalSchedule {
  /** Raised by every update: the version a firing belongs to. */
  revision: number;
  /** The version that last fired (kept only with ActionAfterCompletion NONE). */
  firedRevision?: number;
}

export interface Fired {
  schedule: string;
  group: string;
  target: string;
  at: string;
  outcome: 'succeeded' | 'dead-lettered';
}

export interface ScheduleTargets {
  /** The handler behind a Lambda function ARN. */
  functionFor(arn: string): { functionName: string; handler: LambdaHandler } | undefined;
  /** Puts a failed firing's input on the dead-letter queue with this ARN. */
  deadLetter(queueArn: string, body: string): void;
}

interface StoredSchedules {
  groups: string[];
  schedules: StoredSchedule[];
}

const NAME_PATTERN = /^[0-9a-zA-Z-_.]+$/;
const name = z
  .string()
  .min(1)
  .max(64)
  .regex(NAME_PATTERN, 'Member must satisfy regular expression pattern: [0-9a-zA-Z-_.]+');
const AT_EXPRESSION = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;

const scheduleInput = z.looseObject({
  GroupName: name.optional(),
  ScheduleExpression: z
    .string()
    .min(1)
    .max(256)
    .refine(
      (expression) => {
        const match = AT_EXPRESSION.exec(expression);
        return match?.[1] !== undefined && DateTime.fromISO(match[1], { zone: 'UTC' }).isValid;
      },
      {
        error:
          'Invalid Schedule Expression: the local stand-in takes one-time schedules only, at(yyyy-mm-ddThh:mm:ss) with a real date and time',
      },
    ),
  ScheduleExpressionTimezone: z
    .string()
    .min(1)
    .max(50)
    .refine((zone) => IANAZone.isValidZone(zone), { error: 'Invalid ScheduleExpressionTimezone' })
    .optional(),
  State: z.enum(['ENABLED', 'DISABLED']).optional(),
  ActionAfterCompletion: z.enum(['NONE', 'DELETE']).optional(),
  Description: z.string().max(512).optional(),
  FlexibleTimeWindow: z
    .object({
      Mode: z.enum(['OFF', 'FLEXIBLE']),
      MaximumWindowInMinutes: z.number().int().min(1).max(1440).optional(),
    })
    .refine((window) => window.Mode === 'OFF' || window.MaximumWindowInMinutes !== undefined, {
      error: 'MaximumWindowInMinutes is required when Mode is FLEXIBLE',
    }),
  Target: z.looseObject({
    Arn: z.string().min(1).max(1600),
    RoleArn: z.string().min(1).max(1600),
    Input: z.string().min(1).max(8192).optional(),
    RetryPolicy: z
      .object({
        MaximumRetryAttempts: z.number().int().min(0).max(185).optional(),
        MaximumEventAgeInSeconds: z.number().int().min(60).max(86_400).optional(),
      })
      .optional(),
    DeadLetterConfig: z.object({ Arn: z.string().min(1).max(1600).optional() }).optional(),
  }),
});

const listInput = z.object({
  ScheduleGroup: name.optional(),
  NamePrefix: name.optional(),
  State: z.enum(['ENABLED', 'DISABLED']).optional(),
  MaxResults: z.coerce.number().int().min(1).max(100).optional(),
  NextToken: z.string().min(1).optional(),
});

const validation = (message: string) => new AwsError('ValidationException', 400, message);
const notFound = (message: string) => new AwsError('ResourceNotFoundException', 404, message);

/** Scheduler's own wording: "1 validation error detected: Value at 'name' failed to satisfy constraint: …". */
const parse = <T extends z.ZodType>(schema: T, input: unknown): z.infer<T> => {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  throw validation(
    `${issues.length} validation error${issues.length === 1 ? '' : 's'} detected: ${issues
      .map(
        (issue) =>
          `Value at '${issue.path.join('.') || 'input'}' failed to satisfy constraint: ${issue.message}`,
      )
      .join('; ')}`,
  );
};

const scheduleArn = (group: string, scheduleName: string) =>
  `arn:aws:scheduler:${LOCAL_REGION}:${LOCAL_ACCOUNT}:schedule/${group}/${scheduleName}`;
const groupArn = (group: string) =>
  `arn:aws:scheduler:${LOCAL_REGION}:${LOCAL_ACCOUNT}:schedule-group/${group}`;
const keyOf = (group: string, scheduleName: string) => `${group}/${scheduleName}`;
const seconds = (ms: number) => ms / 1000;

/** The instant a one-time `at(...)` schedule is due, in its ScheduleExpressionTimezone (UTC if none). */
export const scheduledInstant = (
  schedule: Pick<LocalSchedule, 'ScheduleExpression' | 'ScheduleExpressionTimezone'>,
): Date | undefined => {
  const match = AT_EXPRESSION.exec(schedule.ScheduleExpression);
  if (!match?.[1]) return undefined;
  const local = DateTime.fromISO(match[1], { zone: schedule.ScheduleExpressionTimezone ?? 'UTC' });
  return local.isValid ? local.toJSDate() : undefined;
};

export class SchedulerStandIn {
  private readonly groups = new Set<string>(['default']);
  private readonly schedules = new Map<string, StoredSchedule>();
  private readonly file: DurableFile<StoredSchedules>;
  private firing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly targets: ScheduleTargets,
    private readonly onError: (what: string, error: unknown) => void,
    file?: string,
  ) {
    this.file = new DurableFile(file);
    const stored = this.file.read();
    for (const group of stored?.groups ?? []) this.groups.add(group);
    for (const schedule of stored?.schedules ?? []) {
      this.schedules.set(keyOf(schedule.GroupName, schedule.Name), schedule);
    }
  }

  /** A schedule group, as the CDK app creates the stack's. */
  createGroup(group: string): void {
    parse(z.object({ Name: name }), { Name: group });
    this.groups.add(group);
    this.save();
  }

  list(): LocalSchedule[] {
    return [...this.schedules.values()].map(
      ({ revision: _revision, firedRevision: _fired, ...schedule }) => schedule,
    );
  }

  /** Scheduler's REST routes: /schedules/{Name} and /schedules, /schedule-groups/{Name} and /schedule-groups. */
  handle(method: string, url: URL, body: unknown): unknown {
    const [, collection, encodedName, ...rest] = url.pathname.split('/');
    const scheduleName = encodedName === undefined ? undefined : decodeURIComponent(encodedName);
    if (rest.length > 0)
      throw new AwsError('UnknownOperationException', 404, `No operation for ${method} ${url.pathname}`);
    if (collection === 'schedules' && scheduleName === undefined && method === 'GET') {
      return this.listSchedules(Object.fromEntries(url.searchParams));
    }
    if (collection === 'schedules' && scheduleName !== undefined) {
      const { Name: _name, GroupName: group } = parse(z.object({ Name: name, GroupName: name }), {
        Name: scheduleName,
        GroupName:
          url.searchParams.get('groupName') ?? (body as { GroupName?: unknown })?.GroupName ?? 'default',
      });
      if (!this.groups.has(group)) throw notFound(`Schedule group ${group} does not exist.`);
      switch (method) {
        case 'POST':
          return this.put(scheduleName, group, body, 'create');
        case 'PUT':
          return this.put(scheduleName, group, body, 'update');
        case 'GET':
          return this.get(scheduleName, group);
        case 'DELETE':
          return this.delete(scheduleName, group);
      }
    }
    if (collection === 'schedule-groups' && method === 'GET') {
      if (scheduleName === undefined) {
        return {
          ScheduleGroups: [...this.groups]
            .sort()
            .map((group) => ({ Name: group, Arn: groupArn(group), State: 'ACTIVE' })),
        };
      }
      if (!this.groups.has(scheduleName)) throw notFound(`Schedule group ${scheduleName} does not exist.`);
      return { Name: scheduleName, Arn: groupArn(scheduleName), State: 'ACTIVE' };
    }
    throw new AwsError('UnknownOperationException', 404, `No operation for ${method} ${url.pathname}`);
  }

  /**
   * Fires every enabled schedule due at or before `now`, earliest first, one version at a time.
   * Callers queue behind each other, so two clocks never fire the same version twice.
   */
  fireDue(now: Date, afterEach: () => Promise<void>): Promise<Fired[]> {
    const run = this.firing.then(() => this.fireDueNow(now, afterEach));
    this.firing = run.catch(() => undefined);
    return run;
  }

  private async fireDueNow(now: Date, afterEach: () => Promise<void>): Promise<Fired[]> {
    const fired: Fired[] = [];
    for (;;) {
      const next = this.nextDue(now);
      if (!next) return fired;
      const { schedule, at } = next;
      const revision = schedule.revision;
      fired.push(await this.invoke(schedule, at));
      // Only the version that fired completes: an update since then is a new version, kept.
      const key = keyOf(schedule.GroupName, schedule.Name);
      const current = this.schedules.get(key);
      if (current?.revision === revision) {
        if (current.ActionAfterCompletion === 'DELETE') this.schedules.delete(key);
        else current.firedRevision = revision;
        this.save();
      }
      await afterEach();
    }
  }

  private nextDue(now: Date) {
    return [...this.schedules.values()]
      .filter((schedule) => schedule.State === 'ENABLED' && schedule.firedRevision !== schedule.revision)
      .map((schedule) => ({ schedule, at: scheduledInstant(schedule) }))
      .filter(
        (entry): entry is { schedule: StoredSchedule; at: Date } => entry.at !== undefined && entry.at <= now,
      )
      .sort((a, b) => a.at.getTime() - b.at.getTime())[0];
  }

  /** Invokes the target with the schedule's Input, retrying per its RetryPolicy (at most 3 tries here). */
  private async invoke(schedule: StoredSchedule, at: Date): Promise<Fired> {
    const target = this.targets.functionFor(schedule.Target.Arn);
    const base = {
      schedule: schedule.Name,
      group: schedule.GroupName,
      target: schedule.Target.Arn,
      at: at.toISOString(),
    };
    const attempts = 1 + (schedule.Target.RetryPolicy?.MaximumRetryAttempts ?? 185);
    const input = schedule.Target.Input ?? '{}';
    for (let attempt = 1; target && attempt <= Math.min(attempts, 3); attempt++) {
      try {
        await target.handler(JSON.parse(input), lambdaContext(target.functionName));
        return { ...base, outcome: 'succeeded' };
      } catch (error) {
        this.onError(`schedule ${schedule.Name} attempt ${attempt}`, error);
      }
    }
    const dlq = schedule.Target.DeadLetterConfig?.Arn;
    if (dlq) this.targets.deadLetter(dlq, input);
    return { ...base, outcome: 'dead-lettered' };
  }

  private put(scheduleName: string, group: string, body: unknown, action: 'create' | 'update') {
    const input = parse(scheduleInput, body);
    const key = keyOf(group, scheduleName);
    const existing = this.schedules.get(key);
    if (action === 'create' && existing)
      throw new AwsError('ConflictException', 409, `Schedule ${scheduleName} already exists.`);
    if (action === 'update' && !existing) throw notFound(`Schedule ${scheduleName} does not exist.`);
    const now = Date.now();
    this.schedules.set(key, {
      Name: scheduleName,
      GroupName: group,
      ScheduleExpression: input.ScheduleExpression,
      ...(input.ScheduleExpressionTimezone
        ? { ScheduleExpressionTimezone: input.ScheduleExpressionTimezone }
        : {}),
      State: input.State ?? 'ENABLED',
      ActionAfterCompletion: input.ActionAfterCompletion ?? 'NONE',
      FlexibleTimeWindow: input.FlexibleTimeWindow,
      ...(input.Description ? { Description: input.Description } : {}),
      Target: input.Target,
      CreationDate: existing?.CreationDate ?? seconds(now),
      LastModificationDate: seconds(now),
      revision: (existing?.revision ?? 0) + 1,
    });
    this.save();
    return { ScheduleArn: scheduleArn(group, scheduleName) };
  }

  private get(scheduleName: string, group: string) {
    const schedule = this.schedules.get(keyOf(group, scheduleName));
    if (!schedule) throw notFound(`Schedule ${scheduleName} does not exist.`);
    const { revision: _revision, firedRevision: _fired, ...view } = schedule;
    return { ...view, Arn: scheduleArn(group, scheduleName) };
  }

  private delete(scheduleName: string, group: string) {
    if (!this.schedules.delete(keyOf(group, scheduleName)))
      throw notFound(`Schedule ${scheduleName} does not exist.`);
    this.save();
    return {};
  }

  private listSchedules(query: Record<string, string>) {
    const input = parse(listInput, query);
    const matching = [...this.schedules.values()]
      .filter((schedule) => input.ScheduleGroup === undefined || schedule.GroupName === input.ScheduleGroup)
      .filter((schedule) => schedule.Name.startsWith(input.NamePrefix ?? ''))
      .filter((schedule) => input.State === undefined || schedule.State === input.State)
      .sort((a, b) => keyOf(a.GroupName, a.Name).localeCompare(keyOf(b.GroupName, b.Name)));
    const start = input.NextToken ? Number(Buffer.from(input.NextToken, 'base64url').toString()) : 0;
    if (!Number.isInteger(start) || start < 0) throw validation('Invalid NextToken');
    const end = start + (input.MaxResults ?? 100);
    return {
      Schedules: matching.slice(start, end).map((schedule) => ({
        Arn: scheduleArn(schedule.GroupName, schedule.Name),
        Name: schedule.Name,
        GroupName: schedule.GroupName,
        State: schedule.State,
        CreationDate: schedule.CreationDate,
        LastModificationDate: schedule.LastModificationDate,
        Target: { Arn: schedule.Target.Arn },
      })),
      ...(end < matching.length ? { NextToken: Buffer.from(String(end)).toString('base64url') } : {}),
    };
  }

  private save() {
    this.file.write({ groups: [...this.groups], schedules: [...this.schedules.values()] });
  }
}
