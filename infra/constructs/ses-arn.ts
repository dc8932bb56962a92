import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** An SES resource ARN in this stack's account and region: identity, template or configuration set. */
export const sesArn = (
  scope: IConstruct,
  resource: 'identity' | 'template' | 'configuration-set',
  resourceName: string,
): string =>
  Stack.of(scope).formatArn({
    service: 'ses',
    resource,
    resourceName,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
