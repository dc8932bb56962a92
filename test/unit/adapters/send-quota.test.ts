import { Metrics } from '@aws-lambda-powertools/metrics';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetAccountCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { readSendRate, SendQuotaUnavailableError } from '../../../functions/lib/adapters/ses/send-quota';
import { parseConfig, sendConfigSchema } from '../../../functions/lib/config';
import { sendDeps } from '../../../functions/lib/root/send';

const ses = mockClient(SESv2Client);
const client = () => new SESv2Client({ region: 'eu-west-2' });

const secrets = mockClient(SecretsManagerClient);

beforeEach(() => {
  ses.reset();
  secrets.reset();
});

describe('SES send quota', () => {
  it('reads the account’s MaxSendRate', async () => {
    ses.on(GetAccountCommand).resolves({ SendQuota: { MaxSendRate: 14, Max24HourSend: 50_000 } });

    await expect(readSendRate(client())).resolves.toEqual({ rate: 14, source: 'account' });
  });

  it('uses SES_MAX_SEND_RATE without asking SES', async () => {
    await expect(readSendRate(client(), { override: 40 })).resolves.toEqual({ rate: 40, source: 'override' });
    expect(ses.commandCalls(GetAccountCommand)).toHaveLength(0);
  });

  it('throws, naming the SES error, when GetAccount fails, instead of pacing at a guessed 1 a second', async () => {
    ses.on(GetAccountCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));

    const error = await readSendRate(client()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SendQuotaUnavailableError);
    expect((error as Error).message).toMatch(/AccessDeniedException/);
  });

  it('throws when SES answers without a send rate', async () => {
    ses.on(GetAccountCommand).resolves({});

    await expect(readSendRate(client())).rejects.toBeInstanceOf(SendQuotaUnavailableError);
  });

  it('fails the send wiring (and so the batch, which SQS retries) when GetAccount fails', async () => {
    ses.on(GetAccountCommand).rejects(Object.assign(new Error('boom'), { name: 'InternalFailure' }));
    const config = parseConfig(sendConfigSchema, {
      TABLE_NAME: 'esr-test',
      SEND_QUEUE_URL: 'https://sqs.eu-west-2.amazonaws.com/1/send',
      TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:1:secret:esr',
      SENDER_EMAIL: 'reminders@example.org',
      PUBLIC_BASE_URL: 'https://reminders.example.org',
    });

    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'k'.repeat(48) });

    const built = sendDeps(config, new Metrics({ namespace: 'test', serviceName: 'send' }));

    await expect(built).rejects.toBeInstanceOf(SendQuotaUnavailableError);
  });
});
