import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readInfraConfig } from './config';
import { ElectionSecurityRemindersStack } from './stack';

/**
 * Builds the CDK app with cdk-nag's AwsSolutionsChecks as a validation plugin: an unacknowledged
 * finding fails the synth (`app.synth()` throws ValidationFailed; `cdk synth` exits non-zero).
 */
export const buildApp = (options: { context?: Record<string, unknown>; outdir?: string } = {}) => {
  const app = new App({ context: options.context, outdir: options.outdir });
  const config = readInfraConfig(app);
  // Environment-agnostic: ARNs use the pseudo parameters, so `npm run synth` needs no credentials and
  // the template is the same whatever account or region the CLI happens to resolve.
  const stack = new ElectionSecurityRemindersStack(app, config.stackName, { config });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack, config };
};
