import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { LOCAL_TABLE_NAME, startLocalStack } from '../../local/stack';

// Its own file: handlers keep their SDK clients per process, so this test owns the process.
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

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
      const client = DynamoDBDocumentClient.from(
        new DynamoDBClient({ endpoint: first.dynamodbEndpoint, region: 'eu-west-2', credentials }),
      );
      await client.send(
        new PutCommand({
          TableName: LOCAL_TABLE_NAME,
          Item: {
            pk: 'CAMPAIGN#persist',
            sk: 'CAMPAIGN',
            gsi1pk: 'CAMPAIGNS',
            gsi1sk: '2099-05-07#persist',
            id: 'persist',
            name: 'Persisted poll',
            pollDate: '2099-05-07',
            status: 'open',
          },
        }),
      );
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
