import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readInfraConfig } from './config';
import { EdgeStack } from './edge-stack';
import { ElectionSecurityRemindersStack } from './stack';

/**
 * Builds the CDK app with cdk-nag's AwsSolutionsChecks as a validation plugin: an unacknowledged
 * finding fails the synth (`app.synth()` throws ValidationFailed; `cdk synth` exits non-zero).
 */
export const buildApp = (options: { context?: Record<string, unknown>; outdir?: string } = {}) => {
  const app = new App({ context: options.context, outdir: options.outdir });
  const config = readInfraConfig(app);
  // Account-agnostic: ARNs use the account pseudo parameter, so `npm run synth` needs no credentials.
  // CloudFront's WAF web ACL must be created in us-east-1: a stack of its own there, whose ARN the
  // service's stack takes through a CDK cross-region reference (which needs both regions explicit;
  // the account stays the one the CLI deploys to).
  const edge = new EdgeStack(app, `${config.stackName}-Edge`, {
    env: { region: 'us-east-1' },
    crossRegionReferences: true,
    description: 'election-security-reminders: the AWS WAF web ACL of its CloudFront distribution',
    signUpRateLimit: config.signUpRateLimit,
    unsubscribeRateLimit: config.unsubscribeRateLimit,
    ipRateLimit: config.ipRateLimit,
  });
  const stack = new ElectionSecurityRemindersStack(app, config.stackName, {
    config,
    env: { region: config.region },
    crossRegionReferences: true,
    webAclArn: edge.webAcl.attrArn,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack, edge, config };
};
