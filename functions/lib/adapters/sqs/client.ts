import { SQSClient } from '@aws-sdk/client-sqs';

/** Created once per cold start; AWS_ENDPOINT_URL_SQS points it at the local stand-in. */
export const sqsClient = new SQSClient({});
