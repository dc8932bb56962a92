import { SchedulerClient } from '@aws-sdk/client-scheduler';

/**
 * Created once per module (per cold start). The endpoint comes from AWS_ENDPOINT_URL_SCHEDULER, so
 * the local stack's Scheduler stand-in can take its place.
 */
export const schedulerClient = new SchedulerClient({});
