import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/stack';
import { TEST_ESR_ADMINS } from './campaigns';

/**
 * Boots the whole local stack on free loopback ports, in memory, with a throw-away data folder.
 * One per test file: the stack sets process.env for the handlers it loads.
 */
export const bootLocalStack = async (options: LocalStackOptions = {}) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'esr-test-'));
  const stack: LocalStack = await startLocalStack({
    port: 0,
    dynamodbPort: 0,
    sesPort: 0,
    awsPort: 0,
    inMemory: true,
    dataDir,
    adminToken: 'test-admin-token',
    realTimeScheduler: false,
    ...options,
    // The admins X-Esr-Admin may name, so a test can act as two people.
    env: { ESR_ADMINS: TEST_ESR_ADMINS, ...options.env },
  });
  return {
    stack,
    dataDir,
    async stop() {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};
