import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import createEvent from '../../../events/admin-api-create-campaign.json' with { type: 'json' };
import { parseAdminList } from '../../../functions/lib/admins/allow-list';
import { createAdminDirectory } from '../../../functions/lib/admins/directory';
import { UnauthorizedError } from '../../../functions/lib/errors';
import { adminIdentityOf } from '../../../functions/lib/http/admin-identity';
import { LOCAL_ADMIN_PRINCIPAL, namedAdmin, withAdminAuthorizer } from '../../../local/admin-identity';

const event = createEvent as unknown as APIGatewayProxyEventV2;

describe('who calls the admin API', () => {
  it('is the IAM principal API Gateway verified, trusted as an approver; an X-Esr-Admin header changes nothing in AWS', () => {
    const withHeader = { ...event, headers: { ...event.headers, 'x-esr-admin': 'someone@example.org' } };
    expect(adminIdentityOf(withHeader)).toEqual({
      email: 'arn:aws:sts::000000000000:assumed-role/ElectionAdmin/admin-session',
      role: 'approver',
    });
  });

  it('is refused (401) without an authorizer context', () => {
    const bare = { ...event, requestContext: { ...event.requestContext, authorizer: undefined } };
    expect(() => adminIdentityOf(bare as unknown as APIGatewayProxyEventV2)).toThrow(UnauthorizedError);
  });

  it('locally: X-Esr-Admin picks an admin on the console allow-list (ESR_ADMINS or stored with esr admins add); the token alone is the local principal', async () => {
    const stored = [{ email: 'sam@example.org', role: 'editor' as const }];
    const admins = createAdminDirectory(parseAdminList(' Ed@Example.org:editor, ann@example.org:approver '), {
      list: async () => stored,
      get: async (email) => stored.find((admin) => admin.email === email),
      put: async () => {},
      remove: async () => false,
    });
    expect(await namedAdmin('ANN@example.org', admins)).toEqual({
      email: 'ann@example.org',
      role: 'approver',
    });
    expect(await namedAdmin(' sam@example.org ', admins)).toEqual({
      email: 'sam@example.org',
      role: 'editor',
    });
    expect(await namedAdmin('nobody@example.org', admins)).toBeUndefined();
    expect(await namedAdmin(undefined, admins)).toBeUndefined();
    // One parser: the console's strict one, so the local stack refuses what the console would.
    expect(() => parseAdminList('ann@example.org=approver;vic@example.org')).toThrow(/Admin entry 1/);
    const bare = { ...event, requestContext: { ...event.requestContext, authorizer: undefined } } as never;
    expect(adminIdentityOf(withAdminAuthorizer(bare, { email: 'ed@example.org', role: 'editor' }))).toEqual({
      email: 'ed@example.org',
      role: 'editor',
    });
    expect(adminIdentityOf(withAdminAuthorizer(bare, undefined))).toEqual({
      email: LOCAL_ADMIN_PRINCIPAL,
      role: 'approver',
    });
  });
});
