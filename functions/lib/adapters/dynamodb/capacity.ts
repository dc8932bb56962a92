import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';

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
