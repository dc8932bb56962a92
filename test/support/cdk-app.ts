import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/build';

/** Context that skips esbuild for every stack: assertions need the template, not the bundles. */
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

/**
 * The one way infra tests build the CDK app: the real `buildApp` (cdk-nag included) into a fresh
 * temporary folder, as a test stack whose links may sit on the CloudFront host, with a sender, and
 * without bundling unless `bundle` is set. `context` overrides any of that.
 */
export const buildTestApp = (context: Record<string, unknown> = {}, { bundle = false } = {}) => {
  const outdir = mkdtempSync(join(tmpdir(), 'esr-cdk-'));
  const built = buildApp({
    outdir,
    context: {
      ...(bundle ? {} : NO_BUNDLING),
      allowApiHostLinks: true,
      stackName: 'EsrTest',
      senderEmail: 'reminders@example.org',
      ...context,
    },
  });
  return { ...built, outdir, template: () => Template.fromStack(built.stack) };
};
