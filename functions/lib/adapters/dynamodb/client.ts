import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Created once per module (per cold start). The endpoint comes from the standard SDK variable
 * AWS_ENDPOINT_URL_DYNAMODB, so dynalite or any DynamoDB-compatible server can stand in.
 */
export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
