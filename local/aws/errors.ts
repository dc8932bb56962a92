/**
 * An error a stand-in answers with, as the AWS service would: its error code, its HTTP status and,
 * for SQS (whose JSON protocol stays compatible with its old query protocol), the query error code.
 */
export class AwsError extends Error {
  override readonly name = 'AwsError';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly queryCode?: string,
  ) {
    super(message);
  }
}
