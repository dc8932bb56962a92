import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createOriginSecrets } from '../../../functions/lib/adapters/secrets/origin-secret';
import { cameThroughCloudFront } from '../../../functions/lib/edge/origin-verify';

const CURRENT = 'c'.repeat(48);
const PREVIOUS = 'p'.repeat(48);
const ARN = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:origin';
const sm = mockClient(SecretsManagerClient);
const client = () => new SecretsManagerClient({ region: 'eu-west-2' });
const fixed = (values: string[]) => ({ accepted: async () => values });

beforeEach(() => sm.reset());

describe('origin verification (the API accepts only requests through CloudFront)', () => {
  it('accepts the current value, and the previous one during a rotation', async () => {
    const secrets = fixed([CURRENT, PREVIOUS]);

    expect(await cameThroughCloudFront(secrets, { 'x-origin-verify': CURRENT })).toBe(true);
    expect(await cameThroughCloudFront(secrets, { 'x-origin-verify': PREVIOUS })).toBe(true);
  });

  it.each([
    ['no header', {}],
    ['an empty header', { 'x-origin-verify': '' }],
    ['a wrong value', { 'x-origin-verify': 'x'.repeat(48) }],
    ['a prefix of the value', { 'x-origin-verify': CURRENT.slice(0, 20) }],
    ['the value in another header', { 'x-origin': CURRENT }],
  ])('refuses %s', async (_label, headers) => {
    expect(await cameThroughCloudFront(fixed([CURRENT]), headers)).toBe(false);
  });

  it('reads AWSCURRENT and AWSPREVIOUS from Secrets Manager, and copes with no previous version yet', async () => {
    sm.on(GetSecretValueCommand, { SecretId: ARN, VersionStage: 'AWSCURRENT' })
      .resolves({ SecretString: CURRENT })
      .on(GetSecretValueCommand, { SecretId: ARN, VersionStage: 'AWSPREVIOUS' })
      .rejects(new ResourceNotFoundException({ message: 'no previous', $metadata: {} }));

    await expect(createOriginSecrets(client(), ARN).accepted()).resolves.toEqual([CURRENT]);
  });

  it('picks up a rotation once its cache expires, and keeps accepting the previous value meanwhile', async () => {
    let now = 0;
    const secrets = createOriginSecrets(client(), ARN, { cacheMs: 1000, elapsedMs: () => now });
    sm.on(GetSecretValueCommand, { VersionStage: 'AWSCURRENT' })
      .resolves({ SecretString: PREVIOUS })
      .on(GetSecretValueCommand, { VersionStage: 'AWSPREVIOUS' })
      .rejects(new ResourceNotFoundException({ message: 'none', $metadata: {} }));
    await secrets.accepted();
    // Rotated: put-secret-value made a new AWSCURRENT; the old one is AWSPREVIOUS.
    sm.reset();
    sm.on(GetSecretValueCommand, { VersionStage: 'AWSCURRENT' })
      .resolves({ SecretString: CURRENT })
      .on(GetSecretValueCommand, { VersionStage: 'AWSPREVIOUS' })
      .resolves({ SecretString: PREVIOUS });

    const cached = await secrets.accepted();
    now = 1001;
    const fresh = await secrets.accepted();

    expect(cached).toEqual([PREVIOUS]);
    expect(fresh).toEqual([CURRENT, PREVIOUS]);
  });

  it('lets a Secrets Manager failure fail the authorizer (API Gateway answers 500, nothing gets through) and tries again next time', async () => {
    sm.on(GetSecretValueCommand).rejectsOnce(new Error('throttled')).resolves({ SecretString: CURRENT });
    const secrets = createOriginSecrets(client(), ARN);

    await expect(secrets.accepted()).rejects.toThrow('throttled');
    await expect(secrets.accepted()).resolves.toContain(CURRENT);
  });
});
