import type { App } from 'aws-cdk-lib';
import { z } from 'zod';

/**
 * CDK context, validated at synth: `npx cdk deploy -c senderEmail=… -c publicBaseUrl=…`.
 * Defaults live in cdk.json so a newcomer can synth offline with no flags.
 */
const infraConfigSchema = z.object({
  stackName: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,100}$/, 'stackName: letters, digits and hyphens'),
  /** The verified SES identity emails come from: an address, or a domain (sent from reminders@<domain>). */
  senderEmail: z.email().optional(),
  senderDomain: z
    .string()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i)
    .optional(),
  /** The public address of the sign-up pages and links in emails; the API's own URL if empty. */
  publicBaseUrl: z.union([z.literal(''), z.url()]).default(''),
  logRetentionDays: z.coerce.number().int().positive().default(30),
  apiRateLimit: z.coerce.number().positive().default(20),
  apiBurstLimit: z.coerce.number().int().positive().default(40),
  /** Days after the poll date a confirmed subscription is kept (table TTL), then deleted. */
  subscriptionRetentionDays: z.coerce.number().int().min(0).max(365).default(30),
  /** Send consumers at once (the event source's maximum concurrency, 2 to 1000); they share the SES rate. */
  sendConcurrency: z.coerce.number().int().min(2).max(1000).default(2),
});

export type InfraConfig = z.infer<typeof infraConfigSchema>;

const KEYS = Object.keys(infraConfigSchema.shape) as (keyof InfraConfig)[];

export const readInfraConfig = (app: App): InfraConfig => {
  const raw = Object.fromEntries(
    KEYS.map((key) => [key, app.node.tryGetContext(key)]).filter(([, v]) => v !== undefined),
  );
  const parsed = infraConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `-c ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid CDK context:\n${problems.join('\n')}`);
  }
  if (!parsed.data.senderEmail && !parsed.data.senderDomain) {
    throw new Error(
      'Invalid CDK context: give -c senderEmail=<verified address> or -c senderDomain=<verified domain>',
    );
  }
  return parsed.data;
};
