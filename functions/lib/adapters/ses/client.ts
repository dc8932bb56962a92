import { SESv2Client } from '@aws-sdk/client-sesv2';

/** Created once per cold start; AWS_ENDPOINT_URL_SESV2 points it at the local emulator. */
export const sesClient = new SESv2Client({});
