import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
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

/** The region as cdk-nag writes it in a finding's id: the literal region, or `<AWS::Region>` if unresolved. */
export const nagRegion = (scope: IConstruct): string => {
  const { region } = Stack.of(scope);
  return Token.isUnresolved(region) ? '<AWS::Region>' : region;
};
