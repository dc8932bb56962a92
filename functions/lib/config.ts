import { z } from 'zod';
import { parseAdminList } from './admins/allow-list';
import { ConfigError } from './errors';

/**
 * Parses the environment once, at module load, with a zod schema. A missing or bad variable fails
 * the cold start at once with its name, instead of failing later on the first request.
 */
export const parseConfig = <S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> => {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
};

const required = (name: string) => z.string({ error: `${name} is required` }).min(1, `${name} is required`);

/** Variables every function reads. */
const baseConfigSchema = z.object({
  TABLE_NAME: required('TABLE_NAME'),
});

/**
 * An absolute http(s) URL in its ASCII form: an international host name in punycode and any other
 * character percent-encoded (what the WHATWG URL parser does), without a trailing slash. Links built
 * on it go into email headers (List-Unsubscribe), which must be printable ASCII.
 */
export const asciiBaseUrl = (url: string) => new URL(url).href.replace(/\/+$/, '');

export const publicApiConfigSchema = baseConfigSchema.extend({
  PUBLIC_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'PUBLIC_BASE_URL must be an absolute http(s) URL' })
    .transform(asciiBaseUrl),
});

/** Where campaign steps are scheduled: EventBridge Scheduler (locally, its stand-in). */
const schedulerConfigSchema = z.object({
  SCHEDULE_GROUP: required('SCHEDULE_GROUP'),
  SCHEDULER_ROLE_ARN: required('SCHEDULER_ROLE_ARN').regex(
    /^arn:aws[\w-]*:iam::/,
    'SCHEDULER_ROLE_ARN must be an IAM role ARN',
  ),
  DISPATCH_FUNCTION_ARN: required('DISPATCH_FUNCTION_ARN').regex(
    /^arn:aws[\w-]*:lambda:/,
    'DISPATCH_FUNCTION_ARN must be a Lambda function ARN',
  ),
  SCHEDULE_DLQ_ARN: required('SCHEDULE_DLQ_ARN').regex(
    /^arn:aws[\w-]*:sqs:/,
    'SCHEDULE_DLQ_ARN must be an SQS queue ARN',
  ),
});

/**
 * The admin API's own: the audit log's retention (default 730 days, see audit/audit.ts) and the SES
 * template prefix for alert previews.
 */
const adminApiOwnConfigSchema = z.object({
  AUDIT_RETENTION_DAYS: z.coerce
    .number({ error: 'AUDIT_RETENTION_DAYS must be a whole number of days' })
    .int('AUDIT_RETENTION_DAYS must be a whole number of days')
    .min(30, 'AUDIT_RETENTION_DAYS must be at least 30')
    .max(3650, 'AUDIT_RETENTION_DAYS must be at most 3650')
    .default(730),
  SES_TEMPLATE_PREFIX: z.string().default(''),
  /** Subject access and erasure: the address hash needs the key. */
  TOKEN_SECRET_ARN: required('TOKEN_SECRET_ARN').regex(
    /^arn:aws[\w-]*:secretsmanager:/,
    'TOKEN_SECRET_ARN must be a Secrets Manager secret ARN',
  ),
});

/** The import queue: import jobs (ids only) between the admin API and the import worker. */
const importQueueConfigSchema = z.object({
  IMPORT_QUEUE_URL: z.url({ error: 'IMPORT_QUEUE_URL must be the import queue URL' }),
});

/** The send queue: batches of recipient ids between dispatch and send. */
const sendQueueConfigSchema = z.object({
  SEND_QUEUE_URL: z.url({ error: 'SEND_QUEUE_URL must be the send queue URL' }),
});

/** The dispatch function (schedule target): campaigns, the audience index, the send queue. */
export const dispatchConfigSchema = baseConfigSchema.extend(sendQueueConfigSchema.shape);

/** The subscriber journey (public API): token secret, sender, templates, retention. */
export const subscriptionsConfigSchema = z.object({
  TOKEN_SECRET_ARN: required('TOKEN_SECRET_ARN').regex(
    /^arn:aws[\w-]*:secretsmanager:/,
    'TOKEN_SECRET_ARN must be a Secrets Manager secret ARN',
  ),
  SENDER_EMAIL: z.email({ error: 'SENDER_EMAIL must be an email address' }),
  SES_TEMPLATE_PREFIX: z.string().default(''),
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
  SUBSCRIPTION_RETENTION_DAYS: z.coerce
    .number({ error: 'SUBSCRIPTION_RETENTION_DAYS must be a whole number of days' })
    .int('SUBSCRIPTION_RETENTION_DAYS must be a whole number of days')
    .min(0, 'SUBSCRIPTION_RETENTION_DAYS must be 0 or more')
    .max(365, 'SUBSCRIPTION_RETENTION_DAYS must be at most 365')
    .default(30),
});

/** What every function that emails subscribers needs: the link key, the sender, the templates' names. */
const senderConfigSchema = subscriptionsConfigSchema.pick({
  TOKEN_SECRET_ARN: true,
  SENDER_EMAIL: true,
  SES_TEMPLATE_PREFIX: true,
  SES_CONFIGURATION_SET: true,
});

/** The confirmation queue: sign-ups (ids only) between the public API and the confirmation-email worker. */
const confirmationQueueConfigSchema = z.object({
  CONFIRMATION_QUEUE_URL: z.url({ error: 'CONFIRMATION_QUEUE_URL must be the confirmation queue URL' }),
});

/** The public API: open campaigns and the subscriber journey, parsed together so every gap is named at once. */
export const apiConfigSchema = publicApiConfigSchema
  .extend(subscriptionsConfigSchema.shape)
  .extend(confirmationQueueConfigSchema.shape);

/** The confirmation-email worker (consumer of the confirmation queue): the confirm link and the email. */
export const confirmationEmailConfigSchema = publicApiConfigSchema.extend(senderConfigSchema.shape);

/** The send function (SQS consumer): SES bulk sending at the account's rate, with unsubscribe links. */
export const sendConfigSchema = baseConfigSchema
  .extend(sendQueueConfigSchema.shape)
  .extend(senderConfigSchema.shape)
  .extend(publicApiConfigSchema.pick({ PUBLIC_BASE_URL: true }).shape)
  .extend({
    /** Overrides the rate read from SES GetAccount (recipients per second, whole account). */
    SES_MAX_SEND_RATE: z.coerce.number().positive().optional(),
    /** The event source mapping's maximum concurrency: each instance takes its share of the rate. */
    SEND_CONCURRENCY: z.coerce.number().int().min(1).default(2),
    /** A claim older than this is taken to be left behind by a crash (must exceed the function timeout). */
    CLAIM_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(900),
    SEND_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(6),
    SEND_RETRY_BASE_DELAY_SECONDS: z.coerce.number().int().min(0).default(30),
  });

/** The SES feedback function: bounces and complaints suppress the address. */
export const feedbackConfigSchema = baseConfigSchema.extend(
  subscriptionsConfigSchema.pick({ TOKEN_SECRET_ARN: true }).shape,
);

/** The console's allow-list, `email:role,…` (ESR_ADMINS locally; the CDK context `admins` in AWS). */
const adminsConfigSchema = z.object({
  ESR_ADMINS: z
    .string()
    .default('')
    .transform((text, context) => {
      try {
        return parseAdminList(text);
      } catch (error) {
        context.addIssue({ code: 'custom', message: `ESR_ADMINS: ${(error as Error).message}` });
        return z.NEVER;
      }
    }),
});

/** The sign-in queue: address hashes between the console and the sign-in email worker. */
const signInQueueConfigSchema = z.object({
  SIGN_IN_QUEUE_URL: z.url({ error: 'SIGN_IN_QUEUE_URL must be the sign-in queue URL' }),
});

/** The admin console (`/console/*`): sessions, the allow-list, campaigns and the audit log. */
export const consoleConfigSchema = publicApiConfigSchema
  .extend(subscriptionsConfigSchema.pick({ TOKEN_SECRET_ARN: true }).shape)
  .extend(adminsConfigSchema.shape)
  .extend(signInQueueConfigSchema.shape)
  // The campaign pages: they schedule through the campaign core and preview the SES templates.
  .extend(schedulerConfigSchema.shape)
  .extend(subscriptionsConfigSchema.pick({ SES_TEMPLATE_PREFIX: true }).shape)
  // The import pages create import jobs (queued) as the admin API does.
  .extend(importQueueConfigSchema.shape);

/** The console's sign-in email worker (consumer of the sign-in queue). */
export const consoleSignInEmailConfigSchema = publicApiConfigSchema
  .extend(
    senderConfigSchema.pick({ TOKEN_SECRET_ARN: true, SENDER_EMAIL: true, SES_CONFIGURATION_SET: true })
      .shape,
  )
  .extend(adminsConfigSchema.shape);

/** The admin API: campaigns on the scheduler, the stored part of the console's allow-list, import jobs (queued). */
export const adminApiConfigSchema = baseConfigSchema
  .extend(schedulerConfigSchema.shape)
  .extend(adminsConfigSchema.shape)
  .extend(adminApiOwnConfigSchema.shape)
  .extend(importQueueConfigSchema.shape);

/** The import worker (consumer of the import queue): sign-ups written, invitations on the confirmation queue. */
export const importConfigSchema = baseConfigSchema
  .extend(importQueueConfigSchema.shape)
  .extend(confirmationQueueConfigSchema.shape)
  .extend(subscriptionsConfigSchema.pick({ TOKEN_SECRET_ARN: true }).shape)
  .extend({
    /** Overrides the rate read from SES GetAccount (recipients per second, whole account). */
    SES_MAX_SEND_RATE: z.coerce.number().positive().optional(),
    /** The share of the account's send rate an import's invitations may use (the rest is for sign-ups and reminders). */
    IMPORT_SEND_SHARE: z.coerce.number().gt(0).max(1).default(0.5),
    /** How long a worker holds a job without progress before another may take it over (below the queue's visibility timeout). */
    IMPORT_LEASE_SECONDS: z.coerce.number().int().min(5).default(150),
    /** Invitations are enqueued this long before their sign-ups are written (see imports/run.ts). */
    IMPORT_INVITATION_DELAY_SECONDS: z.coerce.number().int().min(1).max(900).default(3),
  });

/** The origin-verify authorizer: the secret CloudFront sends in its header. */
export const originVerifyConfigSchema = z.object({
  ORIGIN_SECRET_ARN: z
    .string()
    .regex(/^arn:aws[\w-]*:secretsmanager:/, 'ORIGIN_SECRET_ARN must be a Secrets Manager secret ARN'),
});

export type SenderConfig = z.infer<typeof senderConfigSchema>;
export type ApiConfig = z.infer<typeof apiConfigSchema>;
export type AdminApiConfig = z.infer<typeof adminApiConfigSchema>;
export type DispatchConfig = z.infer<typeof dispatchConfigSchema>;
export type SendConfig = z.infer<typeof sendConfigSchema>;
export type FeedbackConfig = z.infer<typeof feedbackConfigSchema>;
export type ConfirmationEmailConfig = z.infer<typeof confirmationEmailConfigSchema>;
export type OriginVerifyConfig = z.infer<typeof originVerifyConfigSchema>;
export type ConsoleConfig = z.infer<typeof consoleConfigSchema>;
export type ConsoleSignInEmailConfig = z.infer<typeof consoleSignInEmailConfigSchema>;
export type ImportConfig = z.infer<typeof importConfigSchema>;

/**
 * Each function's environment, declared once, by its entry name (functions/<name>.ts). The function
 * parses it at cold start, its CDK construct (EsrFunction) refuses a variable outside it or a
 * required one missing, and the local stack gives each function only these variables.
 */
export const FUNCTION_CONFIG_SCHEMAS = {
  api: apiConfigSchema,
  'admin-api': adminApiConfigSchema,
  dispatch: dispatchConfigSchema,
  send: sendConfigSchema,
  'ses-events': feedbackConfigSchema,
  'confirmation-email': confirmationEmailConfigSchema,
  'origin-verify': originVerifyConfigSchema,
  console: consoleConfigSchema,
  'console-sign-in-email': consoleSignInEmailConfigSchema,
  import: importConfigSchema,
} as const satisfies Record<string, z.ZodObject>;

export type FunctionName = keyof typeof FUNCTION_CONFIG_SCHEMAS;

/** The variables a function's schema requires (those without a default or `optional`). */
export const requiredVariables = (schema: z.ZodObject): string[] =>
  Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([name]) => name);

/** The one function's variables out of a larger set (the local stack's values for all of them). */
export const variablesFor = (schema: z.ZodObject, values: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).filter(([name]) => name in schema.shape));

/** What is wrong with a function's variable names against its schema: unknown ones, missing required ones. */
export const variableNameProblems = (schema: z.ZodObject, names: string[]): string[] => [
  ...names.filter((name) => !(name in schema.shape)).map((name) => `${name} is not in its schema`),
  ...requiredVariables(schema)
    .filter((name) => !names.includes(name))
    .map((name) => `${name} is required but not set`),
];
