import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { TABLE_KEYS } from '../../functions/lib/storage/table';
import type { EsrFunction } from './esr-function';

export interface SubjectRightsProps {
  table: ITable;
  /** The public API: the "Manage your reminders" page exports and erases for the link's holder. */
  api: EsrFunction;
  /** The admin API: export and erase on request, and subscriber counts. */
  admin: EsrFunction;
  /** The token secret: the admin API hashes the address it is given with a key derived from it. */
  tokenSecret: ISecret;
}

const leading = (patterns: string[]) => ({
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': patterns },
});

/**
 * Subject access and erasure (UK GDPR arts 15 and 17): what the two functions that export and erase
 * may touch, item by item, by partition key. Reading: the address's SUB# partition, its suppression,
 * its erasure marker and the delivery partitions (its claim records and the call records naming it).
 * Erasing: delete those SUB#, SUPPRESSED# and DELIVERY# items, remove its entries from call records
 * (an UpdateItem in DELIVERY#), write the ERASED# marker. Nothing else, and no Scan.
 */
export class SubjectRights extends Construct {
  private readonly table: ITable;

  constructor(scope: Construct, id: string, props: SubjectRightsProps) {
    super(scope, id);
    this.table = props.table;
    for (const fn of [props.api, props.admin]) this.grantExportAndErase(fn);
    // Counts by role on the audience index: COUNT queries only, which return no item at all.
    props.admin.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:Query'],
        resources: [`${props.table.tableArn}/index/${TABLE_KEYS.audience.indexName}`],
        conditions: { StringEquals: { 'dynamodb:Select': 'COUNT' } },
      }),
    );
    props.admin.grantSecretRead(props.tokenSecret);
    props.admin.addEnvironment({ TOKEN_SECRET_ARN: props.tokenSecret.secretArn });
  }

  /** What exporting and erasing touch, item by item (see above); the console's subscriber pages get it too. */
  grantExportAndErase(fn: EsrFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: [this.table.tableArn],
        conditions: leading(['SUB#*', 'SUPPRESSED#*', 'ERASED#*', 'DELIVERY#*']),
      }),
    );
    fn.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:DeleteItem'],
        resources: [this.table.tableArn],
        conditions: leading(['SUB#*', 'SUPPRESSED#*', 'DELIVERY#*']),
      }),
    );
    fn.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:UpdateItem'],
        resources: [this.table.tableArn],
        conditions: leading(['DELIVERY#*', 'ERASED#*']),
      }),
    );
  }
}
