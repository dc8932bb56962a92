import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { onceUntilRejected } from '../../once';
import { TokenKeyUnavailableError } from '../../subscriptions/errors';

/** A secret shorter than this is a mistake, not a key. */
const MIN_KEY_LENGTH = 32;

/**
 * Loads the token-signing secret once and keeps it for the life of the process (one cold start). A
 * failed load is not kept, so the next request tries again. The error names no secret value.
 */
export const createSecretKeyLoader = (
  client: Pick<SecretsManagerClient, 'send'>,
  secretArn: string,
): (() => Promise<Buffer>) =>
  onceUntilRejected(async () => {
    let secret: string | undefined;
    try {
      ({ SecretString: secret } = await client.send(new GetSecretValueCommand({ SecretId: secretArn })));
    } catch (error) {
      throw new TokenKeyUnavailableError(`Could not read the token secret (${(error as Error)?.name}).`, {
        cause: error,
      });
    }
    if (!secret || secret.length < MIN_KEY_LENGTH) {
      throw new TokenKeyUnavailableError(`The token secret must be at least ${MIN_KEY_LENGTH} characters.`);
    }
    return Buffer.from(secret, 'utf8');
  });
