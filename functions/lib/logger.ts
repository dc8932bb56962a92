import { search } from '@aws-lambda-powertools/jmespath';
import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One logger per process. Privacy rule: log ids (campaign, step, subscription hash), never an email
 * address, a name or a token. The correlation id is the API Gateway request id or the message id.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'election-security-reminders',
  correlationIdSearchFn: search as (expression: string, data: unknown) => unknown,
});
