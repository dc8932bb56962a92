import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';

/** Adds up the capacity units the delivery stores consume (the benchmark reports them per recipient). */
export interface CapacityMeter {
  add(units: number): void;
}

/** A recorder for a call's ConsumedCapacity; does nothing without a meter. */
export const recordCapacity =
  (meter: CapacityMeter | undefined) =>
  (result: { ConsumedCapacity?: ConsumedCapacity }): void =>
    meter?.add(result.ConsumedCapacity?.CapacityUnits ?? 0);
