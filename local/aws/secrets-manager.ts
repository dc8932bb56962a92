import { z } from 'zod';
import { secretArn } from './account';
import { AwsError } from './errors';

/**
 * The Secrets Manager stand-in, read-only: GetSecretValue, DescribeSecret and ListSecrets (which,
 * as in AWS, never show a value), by name or ARN. Its secrets are put at start from the data folder.
 */
export class SecretsManagerStandIn {
  private readonly secrets = new Map<string, { value: string; createdAt: number }>();

  /** Stores a secret; returns its ARN (what functions are given). */
  put(name: string, value: string): string {
    this.secrets.set(name, { value, createdAt: Date.now() });
    return secretArn(name);
  }

  handle(operation: string, input: unknown): unknown {
    switch (operation) {
      case 'GetSecretValue': {
        const { name, secret } = this.find(input);
        return {
          ARN: secretArn(name),
          Name: name,
          SecretString: secret.value,
          VersionId: 'local',
          VersionStages: ['AWSCURRENT'],
          CreatedDate: secret.createdAt / 1000,
        };
      }
      case 'DescribeSecret': {
        const { name, secret } = this.find(input);
        return this.describe(name, secret.createdAt);
      }
      case 'ListSecrets':
        return {
          SecretList: [...this.secrets].map(([name, secret]) => this.describe(name, secret.createdAt)),
        };
      default:
        throw new AwsError(
          'UnsupportedOperation',
          400,
          `The local Secrets Manager does not support ${operation}.`,
        );
    }
  }

  private describe(name: string, createdAt: number) {
    return {
      ARN: secretArn(name),
      Name: name,
      CreatedDate: createdAt / 1000,
      LastChangedDate: createdAt / 1000,
      VersionIdsToStages: { local: ['AWSCURRENT'] },
    };
  }

  private find(input: unknown) {
    const parsed = z.object({ SecretId: z.string().min(1).max(2048) }).safeParse(input);
    if (!parsed.success)
      throw new AwsError('InvalidParameterException', 400, 'SecretId must be 1 to 2048 characters.');
    const id = parsed.data.SecretId;
    const name = [...this.secrets.keys()].find(
      (candidate) => candidate === id || secretArn(candidate) === id,
    );
    const secret = name === undefined ? undefined : this.secrets.get(name);
    if (name === undefined || !secret) {
      throw new AwsError(
        'ResourceNotFoundException',
        400,
        "Secrets Manager can't find the specified secret.",
      );
    }
    return { name, secret };
  }
}
