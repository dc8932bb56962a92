import { hasErrorName } from '../../errors';

/** The output of a conditional write, or undefined (and nothing changed) when its condition did not hold. */
export const unlessConditionFails = async <T>(write: Promise<T>): Promise<T | undefined> => {
  try {
    return await write;
  } catch (error) {
    // By name: an emulator's error may not be the SDK's class.
    if (hasErrorName(error, 'ConditionalCheckFailedException')) return undefined;
    throw error;
  }
};
