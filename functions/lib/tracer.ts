import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * One tracer per process (X-Ray, through Powertools). It switches itself off outside Lambda (no
 * AWS_EXECUTION_ENV: tests, the local stack) and wherever POWERTOOLS_TRACE_ENABLED is false.
 */
export const tracer = new Tracer({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'election-security-reminders',
});
