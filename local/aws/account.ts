/** The account and region the stand-ins pretend to be, in every ARN and queue URL they hand out. */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'eu-west-2';

export const queueArn = (name: string) => `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${name}`;
/** Real secret ARNs end in a random 6-character suffix; the stand-in's is fixed. */
export const secretArn = (name: string) =>
  `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${name}-local0`;
export const functionArn = (name: string) =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
export const nameFromArn = (arn: string) => arn.split(':').pop() ?? arn;
