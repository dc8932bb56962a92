import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCAL_TABLE_NAME, startLocalStack } from '../../local/stack';
import { seedCampaign, tableClient } from '../support/subscriptions';

// Its own file: handlers keep their SDK clients per process, so this test owns the process.

describe('local stack persistence', () => {
  it('keeps DynamoDB data under the data folder across a restart unless run in memory', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'esr-persist-'));
    const options = {
      port: 0,
      dynamodbPort: 0,
      sesPort: 0,
      awsPort: 0,
      dataDir,
      realTimeScheduler: false,
      env: {},
    };
    try {
      const first = await startLocalStack(options);
      const client = tableClient(first.dynamodbEndpoint);
      await seedCampaign(client, LOCAL_TABLE_NAME, {
        id: 'persist',
        name: 'Persisted poll',
        pollDate: '2099-05-07',
      });
      client.destroy();
      const firstToken = first.adminToken;
      await first.stop();

      // Handlers keep their SDK clients per process, so the restart reuses the DynamoDB port.
      const dynamodbPort = Number(new URL(first.dynamodbEndpoint).port);
      const second = await startLocalStack({ ...options, dynamodbPort });
      const campaigns = await (await fetch(`${second.apiUrl}/campaigns`)).json();
      const secondToken = second.adminToken;
      await second.stop();

      expect(campaigns).toEqual([{ id: 'persist', name: 'Persisted poll', pollDate: '2099-05-07' }]);
      expect(secondToken).toBe(firstToken);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
