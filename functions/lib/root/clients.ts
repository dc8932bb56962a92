import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../tracer';

/** Made on first use and kept for the life of the process (one cold start). */
const lazy = <T>(make: () => T): (() => T) => {
  let made: T | undefined;
  return () => {
    made ??= make();
    return made;
  };
};

/**
 * The AWS SDK clients, one of each per process, traced (a no-op where tracing is off). Endpoints come
 * from the standard SDK variables (AWS_ENDPOINT_URL_DYNAMODB, _SESV2, _SCHEDULER, _SQS,
 * _SECRETS_MANAGER), so the local stack's engines and stand-ins can take AWS's place.
 */
export const clients = {
  dynamo: lazy(() =>
    DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), {
      marshallOptions: { removeUndefinedValues: true },
    }),
  ),
  ses: lazy(() => tracer.captureAWSv3Client(new SESv2Client({}))),
  sqs: lazy(() => tracer.captureAWSv3Client(new SQSClient({}))),
  scheduler: lazy(() => tracer.captureAWSv3Client(new SchedulerClient({}))),
  secrets: lazy(() => tracer.captureAWSv3Client(new SecretsManagerClient({}))),
};
