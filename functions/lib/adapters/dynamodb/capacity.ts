import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  PutCommand,
  type PutCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';

/** Adds up the capacity units the delivery stores consume (the benchmark reports them per recipient). */
export interface CapacityMeter {
  add(units: number): void;
}

/** A recorder for a call's ConsumedCapacity (does nothing without a meter); hands the result on. */
export const recordCapacity =
  (meter: CapacityMeter | undefined) =>
  <T extends { ConsumedCapacity?: ConsumedCapacity }>(result: T): T => {
    meter?.add(result.ConsumedCapacity?.CapacityUnits ?? 0);
    return result;
  };

/** What every metered call sets itself: the table, and asking DynamoDB for the capacity it consumed. */
type Metered = 'TableName' | 'ReturnConsumedCapacity';

/**
 * Single-item reads and writes on one table, each asking for its ConsumedCapacity and adding it to
 * `meter`: the capacity accounting is written here once, not at every call. A conditional write
 * whose condition fails throws (as the SDK does) and adds nothing.
 */
export const meteredItems = (client: DynamoDBDocumentClient, tableName: string, meter?: CapacityMeter) => {
  const consumed = recordCapacity(meter);
  const metered = { TableName: tableName, ReturnConsumedCapacity: 'TOTAL' } as const;
  return {
    get: (input: Omit<GetCommandInput, Metered>) =>
      client.send(new GetCommand({ ...input, ...metered })).then(consumed),
    put: (input: Omit<PutCommandInput, Metered>) =>
      client.send(new PutCommand({ ...input, ...metered })).then(consumed),
    update: (input: Omit<UpdateCommandInput, Metered>) =>
      client.send(new UpdateCommand({ ...input, ...metered })).then(consumed),
  };
};
