import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build';

type Statement = {
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

const CONTEXT = {
  'aws:cdk:bundling-stacks': [],
  allowApiHostLinks: true,
  stackName: 'EsrConsole',
  senderEmail: 'reminders@example.org',
  admins: 'alice@example.org:editor,bob@example.org:approver',
};

describe('CDK: the admin console', () => {
  let template: Template;

  beforeAll(() => {
    const { stack } = buildApp({ outdir: mkdtempSync(join(tmpdir(), 'esr-cdk-console-')), context: CONTEXT });
    template = Template.fromStack(stack);
  });

  const policyOf = (prefix: string) => {
    const policies = template.findResources('AWS::IAM::Policy');
    const found = Object.entries(policies).find(([id]) => id.startsWith(prefix));
    if (!found) throw new Error(`no policy ${prefix}`);
    return found[1].Properties.PolicyDocument.Statement as Statement[];
  };
  const actionsOf = (statement: Statement) => [statement.Action].flat();
  const leadingKeysOf = (statement: Statement) =>
    [statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] ?? []].flat();

  it('routes /console on the HTTP API through the origin-verify authorizer, not IAM', () => {
    for (const routeKey of [
      'GET /console',
      'GET /console/{proxy+}',
      'POST /console/{proxy+}',
      'HEAD /console/{proxy+}',
    ]) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey,
        AuthorizationType: 'CUSTOM',
      });
    }
  });

  it('gives the console function table access only by the partitions it uses; subscribers only for subject rights', () => {
    const statements = policyOf('ConsoleFunctionRole').filter((s) =>
      actionsOf(s).some((a) => a.startsWith('dynamodb:')),
    );
    const keys = statements.flatMap(leadingKeysOf);
    expect(new Set(keys)).toEqual(
      new Set([
        'CONSOLE#SESSION#*',
        'CONSOLE#LINK#*',
        'ADMINS',
        'AUDIT#*',
        'CAMPAIGN#*',
        'AUDIENCE#*',
        // The import pages: jobs and their reports.
        'IMPORT#*',
        // The subscriber pages (approvers): subject access and erasure, as the admin API has them.
        'SUB#*',
        'SUPPRESSED#*',
        'ERASED#*',
        'DELIVERY#*',
      ]),
    );
    for (const statement of statements) {
      expect(actionsOf(statement)).not.toContain('dynamodb:Scan');
      if (actionsOf(statement).includes('dynamodb:DeleteItem')) {
        // Deleting is erasure's only: the address's own items, nothing of the console's.
        expect(new Set(leadingKeysOf(statement))).toEqual(new Set(['SUB#*', 'SUPPRESSED#*', 'DELIVERY#*']));
      }
      const onTable = JSON.stringify(statement.Resource).includes('/index/') === false;
      if (onTable) expect(leadingKeysOf(statement).length, JSON.stringify(statement)).toBeGreaterThan(0);
    }
    const imports = statements.find((s) => leadingKeysOf(s).includes('IMPORT#*'));
    expect(actionsOf(imports as never).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
    ]);
    const audience = statements.find((s) => JSON.stringify(s.Resource).includes('/index/audience'));
    expect(audience?.Condition?.StringEquals?.['dynamodb:Select']).toBe('COUNT');
    expect(policyOf('ConsoleFunctionRole').some((s) => actionsOf(s).includes('ses:SendEmail'))).toBe(false);
    // It queues import jobs (ids only) on the import queue, as the admin API does.
    const sends = policyOf('ConsoleFunctionRole').filter((s) => actionsOf(s).includes('sqs:SendMessage'));
    expect(JSON.stringify(sends.map((s) => s.Resource))).toMatch(/ImportsQueue/);
  });

  it('lets only the sign-in worker send, from our identity through the configuration set, with no template', () => {
    const send = policyOf('ConsoleSignInSenderRole').find((s) => actionsOf(s).includes('ses:SendEmail'));
    const resources = JSON.stringify(send?.Resource);
    expect(resources).toContain(':identity/example.org');
    expect(resources).toContain(':configuration-set/');
    expect(resources).not.toContain(':template/');
    const keys = policyOf('ConsoleSignInSenderRole').flatMap(leadingKeysOf);
    expect(new Set(keys)).toEqual(new Set(['ADMINS', 'CONSOLE#THROTTLE#*', 'CONSOLE#LINK#*', 'AUDIT#*']));
  });

  it('passes the allow-list and the sign-in queue to the console, with a DLQ alarm on the queue', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Admin console pages'),
      Environment: {
        Variables: Match.objectLike({
          ESR_ADMINS: CONTEXT.admins,
          SIGN_IN_QUEUE_URL: Match.anyValue(),
          IMPORT_QUEUE_URL: Match.anyValue(),
          TOKEN_SECRET_ARN: Match.anyValue(),
        }),
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('Console sign-in emails exhausted'),
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ConsoleSignInQueue'), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('refuses a bad admins context at synth, naming the entry', () => {
    expect(() =>
      buildApp({
        outdir: mkdtempSync(join(tmpdir(), 'esr-cdk-console-bad-')),
        context: { ...CONTEXT, admins: 'alice@example.org:editor,bob@example.org:boss' },
      }),
    ).toThrow(/admins: Admin entry 2/);
  });
});
