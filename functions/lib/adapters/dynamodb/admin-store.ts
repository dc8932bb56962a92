import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
} from '@aws-sdk/lib-dynamodb';
import type { AdminIdentity } from '../../admins/model';
import type { AdminStore } from '../../admins/ports';
import { keys } from '../../storage/table';

const identityOf = (item: Record<string, unknown>): AdminIdentity => ({
  email: String(item.email),
  role: item.role as AdminIdentity['role'],
});

/** Admin records in their own partition (`ADMINS`), one item per address. */
export const createAdminStore = (client: DynamoDBDocumentClient, tableName: string): AdminStore => ({
  async list() {
    const admins: AdminIdentity[] = [];
    const pages = paginateQuery(
      { client },
      {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.adminsPartition },
      },
    );
    for await (const page of pages) admins.push(...(page.Items ?? []).map(identityOf));
    return admins;
  },
  async get(email) {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.admin(email) }));
    return Item ? identityOf(Item) : undefined;
  },
  async put(admin, at) {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...keys.admin(admin.email),
          type: 'admin',
          email: admin.email,
          role: admin.role,
          updatedAt: at,
        },
      }),
    );
  },
  async remove(email) {
    const { Attributes } = await client.send(
      new DeleteCommand({ TableName: tableName, Key: keys.admin(email), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  },
});
