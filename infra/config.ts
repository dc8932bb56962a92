import type { App } from 'aws-cdk-lib';
import { z } from 'zod';
import { parseAdminList } from '../functions/lib/admins/allow-list';
import { asciiBaseUrl } from '../functions/lib/config';

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
  /**
   * The public address of the sign-up pages and links in emails; if empty, the custom domain or else
   * the CloudFront distribution's own address. An international domain is put in punycode.
   */
  publicBaseUrl: z
    .union([z.literal(''), z.url({ protocol: /^https?$/ }).transform(asciiBaseUrl)])
    .default(''),
  /**
   * A test stack may put its links on the CloudFront (or API) host; a real deploy may not, since a
   * careful reader would rightly take links to an unknown AWS host for phishing.
   */
  allowApiHostLinks: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')])
    .default(false),
  /** The region of the service (CloudFront's web ACL always lives in us-east-1, in its own stack). */
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'region: an AWS region such as eu-west-2')
    .default('eu-west-2'),
  /** A custom domain for CloudFront, with an ACM certificate for it in us-east-1 (CloudFront's region). */
  domainName: z
    .string()
    .regex(
      /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i,
      'domainName: a host name such as reminders.example.gov.uk',
    )
    .optional(),
  certificateArn: z
    .string()
    .regex(
      /^arn:aws[\w-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/,
      'certificateArn: an ACM certificate ARN in us-east-1 (CloudFront takes certificates from there only)',
    )
    .optional(),
  /** WAF rate-based rules, requests per IP address per 5 minutes: sign-up POSTs, unsubscribe POSTs, everything. */
  signUpRateLimit: z.coerce.number().int().min(10).max(2_000_000_000).default(100),
  unsubscribeRateLimit: z.coerce.number().int().min(10).max(2_000_000_000).default(1000),
  ipRateLimit: z.coerce.number().int().min(10).max(2_000_000_000).default(2000),
  /**
   * The origin-verify secret's version CloudFront sends (after a rotation, the new VersionId); the
   * secret's current version when unset.
   */
  originSecretVersionId: z
    .string()
    .regex(/^[\w-]{32,64}$/)
    .optional(),
  logRetentionDays: z.coerce.number().int().positive().default(30),
  apiRateLimit: z.coerce.number().positive().default(20),
  apiBurstLimit: z.coerce.number().int().positive().default(40),
  /** Days after the poll date a confirmed subscription is kept (table TTL), then deleted. */
  subscriptionRetentionDays: z.coerce.number().int().min(0).max(365).default(30),
  /** Days an audit log entry is kept (table TTL): two years by default, see functions/lib/audit/audit.ts. */
  auditRetentionDays: z.coerce.number().int().min(30).max(3650).default(730),
  /** Who is emailed when an alarm fires (an SNS email subscription to confirm); the topic exists without it. */
  alarmEmail: z.email().optional(),
  /** Send consumers at once (the event source's maximum concurrency, 2 to 1000); they share the SES rate. */
  sendConcurrency: z.coerce.number().int().min(2).max(1000).default(2),
  /**
   * The admin console's allow-list, `email:role,…` (roles viewer, editor, approver), checked here so
   * a typo fails the synth rather than locking everyone out. More can be added with `esr admins add`.
   */
  admins: z
    .string()
    .default('')
    .superRefine((text, context) => {
      try {
        parseAdminList(text);
      } catch (error) {
        context.addIssue({ code: 'custom', message: `admins: ${(error as Error).message}` });
      }
    }),
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
  const linkHost = parsed.data.publicBaseUrl
    ? new URL(parsed.data.publicBaseUrl).hostname
    : parsed.data.domainName;
  if (!parsed.data.allowApiHostLinks) {
    if (!linkHost) {
      throw new Error(
        "Invalid CDK context: a deploy needs -c publicBaseUrl=https://<a host on the organiser's own domain> (or -c domainName with -c certificateArn). " +
          'Confirm and unsubscribe links in every email go there, and links to a cloudfront.net or execute-api host look like phishing. ' +
          'For a test stack only, -c allowApiHostLinks=true puts them on the CloudFront address.',
      );
    }
    if (/(^|\.)(amazonaws\.com|cloudfront\.net)$/i.test(linkHost)) {
      throw new Error(
        `Invalid CDK context: -c publicBaseUrl is on ${linkHost}, an AWS host; use the organiser's own domain (or -c allowApiHostLinks=true for a test stack).`,
      );
    }
  }
  if (Boolean(parsed.data.domainName) !== Boolean(parsed.data.certificateArn)) {
    throw new Error(
      'Invalid CDK context: -c domainName and -c certificateArn go together (the certificate, in us-east-1, must cover the domain)',
    );
  }
  return parsed.data;
};
