import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { OriginSecrets } from '../../edge/origin-verify';
import { hasErrorName } from '../../errors';

/** How long the values are trusted before they are read again: a rotation is picked up within this. */
export const ORIGIN_SECRET_CACHE_MS = 5 * 60_000;

/**
 * The origin-verify secret from Secrets Manager: its AWSCURRENT value and, while a rotation is under
 * way, its AWSPREVIOUS one (absent until the first rotation), re-read every five minutes of real time.
 */
export const createOriginSecrets = (
  client: Pick<SecretsManagerClient, 'send'>,
  secretArn: string,
  options: { cacheMs?: number; elapsedMs?: () => number } = {},
): OriginSecrets => {
  const cacheMs = options.cacheMs ?? ORIGIN_SECRET_CACHE_MS;
  const elapsedMs = options.elapsedMs ?? (() => performance.now());
  let cached: { at: number; values: Promise<string[]> } | undefined;
  const read = async (stage: 'AWSCURRENT' | 'AWSPREVIOUS') => {
    try {
      const { SecretString } = await client.send(
        new GetSecretValueCommand({ SecretId: secretArn, VersionStage: stage }),
      );
      return SecretString;
    } catch (error) {
      if (stage === 'AWSPREVIOUS' && hasErrorName(error, 'ResourceNotFoundException')) return undefined;
      throw error;
    }
  };
  return {
    accepted() {
      const now = elapsedMs();
      if (cached && now - cached.at < cacheMs) return cached.values;
      const values = Promise.all([read('AWSCURRENT'), read('AWSPREVIOUS')]).then((found) =>
        found.filter((value): value is string => typeof value === 'string' && value.length >= 32),
      );
      cached = { at: now, values };
      values.catch(() => {
        cached = undefined;
      });
      return values;
    },
  };
};
