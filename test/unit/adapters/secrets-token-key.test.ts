import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSecretKeyLoader } from '../../../functions/lib/adapters/secrets/token-key';
import { TokenKeyUnavailableError } from '../../../functions/lib/subscriptions/errors';

const secrets = mockClient(SecretsManagerClient);
const client = new SecretsManagerClient({ region: 'eu-west-2' });
const ARN = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:esr-token-AbCdEf';
const SECRET = 's'.repeat(64);

describe('token secret loader', () => {
  beforeEach(() => secrets.reset());

  it('reads the secret by ARN once and serves every later call from memory', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: SECRET });
    const load = createSecretKeyLoader(client, ARN);

    const [first, second] = await Promise.all([load(), load()]);
    const third = await load();

    expect(first.equals(Buffer.from(SECRET))).toBe(true);
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(secrets.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({ SecretId: ARN });
  });

  it('fails with TokenKeyUnavailableError when Secrets Manager fails, and tries again next time', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('boom'), { name: 'AccessDeniedException' }))
      .resolves({ SecretString: SECRET });
    const load = createSecretKeyLoader(client, ARN);

    await expect(load()).rejects.toThrow(TokenKeyUnavailableError);
    await expect(load()).resolves.toEqual(Buffer.from(SECRET));
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it.each([[undefined], [''], ['short']])('refuses a missing or too-short secret (%j)', async (value) => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: value });

    const loading = createSecretKeyLoader(client, ARN)();

    await expect(loading).rejects.toThrow(TokenKeyUnavailableError);
    await loading.catch((error: Error) => expect(error.message).not.toContain(String(value || 'x-none')));
  });
});
