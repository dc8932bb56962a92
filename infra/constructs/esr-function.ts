import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { z } from 'zod';
import { FUNCTION_CONFIG_SCHEMAS, variableNameProblems } from '../../functions/lib/config';

const FUNCTIONS_DIR = fileURLToPath(new URL('../../functions/', import.meta.url));

export interface EsrFunctionProps {
  /** The entry file in functions/, without `.ts`; also the function's logical name. */
  entry: string;
  description: string;
  environment?: Record<string, string>;
  timeout?: Duration;
  memorySize?: number;
  logRetention: RetentionDays;
  reservedConcurrentExecutions?: number;
  /**
   * Files esbuild does not bundle (templates, CSS, fonts) to copy into the bundle after bundling:
   * `from` is relative to the repository root, `to` to the bundle folder (where index.mjs lives).
   */
  copyIntoBundle?: { from: string; to: string }[];
}

/** Bundling hooks that copy files into the bundle; paths are quoted, and must stay inside it. */
const copyHooks = (copies: { from: string; to: string }[]) => ({
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir: string, outputDir: string) =>
    copies.map(({ from, to }) => {
      if (isAbsolute(to) || to.split('/').includes('..')) throw new Error(`copyIntoBundle: bad target ${to}`);
      const target = join(outputDir, to);
      return `mkdir -p "${dirname(target)}" && cp -R "${join(inputDir, from)}" "${target}"`;
    }),
});

/**
 * Every Lambda function of the service, with one set of defaults: Node.js 22 on ARM64, ESM bundle
 * with source maps, X-Ray active tracing, its own log group with a retention period, and a role that may only write to
 * that log group until a grant helper adds exactly what the function needs.
 */
/** Variables EsrFunction sets on every function (runtime and Powertools), outside the functions' schemas. */
export const PLATFORM_VARIABLES = new Set([
  'NODE_OPTIONS',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_LOG_LEVEL',
]);

export class EsrFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  /** The entry file's name in functions/ (the key of its config schema). */
  readonly entry: string;
  /** Its own log group (with the retention), for grants and log queries. */
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: EsrFunctionProps) {
    super(scope, id);
    this.entry = props.entry;
    const logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.logGroup = logGroup;
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.entry}: logs to its own log group, plus explicit grants`,
    });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    this.fn = new NodejsFunction(this, 'Function', {
      entry: `${FUNCTIONS_DIR}${props.entry}.ts`,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      // X-Ray active tracing; CDK grants the role xray:PutTraceSegments and PutTelemetryRecords.
      tracing: Tracing.ACTIVE,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'election-security-reminders',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        sourceMap: true,
        minify: true,
        // Bundle our pinned AWS SDK rather than the runtime's, so Lambda runs what the tests ran.
        externalModules: [],
        mainFields: ['module', 'main'],
        // Some CommonJS dependencies call require(); give the ESM bundle one.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        ...(props.copyIntoBundle?.length ? { commandHooks: copyHooks(props.copyIntoBundle) } : {}),
      },
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
    });
    // The function's environment is declared once, as its zod schema: at synth (constructs add
    // variables after this one is made), nothing outside it and nothing it requires missing.
    const schema = (FUNCTION_CONFIG_SCHEMAS as Record<string, z.ZodObject | undefined>)[props.entry];
    if (schema) {
      this.node.addValidation({
        validate: () => {
          const cfn = this.fn.node.defaultChild as CfnFunction;
          const env = Stack.of(this).resolve(cfn.environment) as { variables?: Record<string, unknown> };
          const names = Object.keys(env?.variables ?? {}).filter((name) => !PLATFORM_VARIABLES.has(name));
          return variableNameProblems(schema, names).map((problem) => `${props.entry}: ${problem}`);
        },
      });
    }
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime the service is built and tested for; moving to 24 is a deliberate upgrade.',
    });
  }

  /**
   * Item-level access to the table only (no Scan, no table management); with `leadingKeys`, only to
   * items whose partition key matches one of those patterns (e.g. `SUB#*`). Index queries are granted
   * on the named indexes.
   */
  grantTable(
    table: ITable,
    access: 'read' | 'readWrite',
    { indexNames = [], leadingKeys }: { indexNames?: string[]; leadingKeys?: string[] } = {},
  ): void {
    const read = [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:ConditionCheckItem',
    ];
    const write = [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    ];
    this.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: access === 'read' ? read : [...read, ...write],
        resources: [table.tableArn],
        ...(leadingKeys
          ? { conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeys } } }
          : {}),
      }),
    );
    if (indexNames.length > 0) this.grantIndexQuery(table, indexNames);
  }

  /**
   * Query on the named indexes of the table, nothing else; with `onlyAttributes`, only queries that
   * project just those attributes (which must name the table's and the index's key attributes, as
   * DynamoDB's fine-grained access control requires) and ask for SPECIFIC_ATTRIBUTES.
   */
  grantIndexQuery(
    table: ITable,
    indexNames: string[],
    { onlyAttributes }: { onlyAttributes?: string[] } = {},
  ): void {
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: indexNames.map((name) => `${table.tableArn}/index/${name}`),
        ...(onlyAttributes
          ? {
              conditions: {
                'ForAllValues:StringEquals': { 'dynamodb:Attributes': onlyAttributes },
                StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
              },
            }
          : {}),
      }),
    );
  }

  /** GetSecretValue on one secret (CDK's grantRead would add DescribeSecret, which nothing needs). */
  grantSecretRead(secret: ISecret): void {
    this.role.addToPolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    );
  }

  addEnvironment(values: Record<string, string>): void {
    for (const [key, value] of Object.entries(values)) this.fn.addEnvironment(key, value);
  }
}
