import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AdminIdentity } from '../../admins/model';
import type { AdminStore } from '../../admins/ports';
import { keys } from '../../storage/table';
import { unlessConditionFails } from './conditions';

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
    for await (const page of pages)
      admins.push(...(page.Items ?? []).filter((item) => item.role).map(identityOf));
    return admins;
  },
  async get(email) {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.admin(email) }));
    return Item?.role ? identityOf(Item) : undefined;
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
  // Removal takes the role away rather than delete the item: the admin API may not delete (its
  // grant has no DeleteItem), and the item keeps when the admin was removed.
  async remove(email, at) {
    const removed = await unlessConditionFails(
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.admin(email),
          UpdateExpression: 'REMOVE #role SET removedAt = :at',
          ConditionExpression: 'attribute_exists(#role)',
          ExpressionAttributeNames: { '#role': 'role' },
          ExpressionAttributeValues: { ':at': at },
        }),
      ),
    );
    return removed !== undefined;
  },
});
