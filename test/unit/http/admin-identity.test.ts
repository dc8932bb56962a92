import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import createEvent from '../../../events/admin-api-create-campaign.json' with { type: 'json' };
import { UnauthorizedError } from '../../../functions/lib/errors';
import { adminIdentityOf } from '../../../functions/lib/http/admin-identity';
import {
  LOCAL_ADMIN_PRINCIPAL,
  namedAdmin,
  parseAdminList,
  withAdminAuthorizer,
} from '../../../local/admin-identity';

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

  it('locally: ESR_ADMINS names admins and roles; X-Esr-Admin picks one, the token alone is the local principal', () => {
    const admins = parseAdminList(
      ' Ed@Example.org:editor, ann@example.org=approver;vic@example.org bad-entry ',
    );
    expect([...admins]).toEqual([
      ['ed@example.org', 'editor'],
      ['ann@example.org', 'approver'],
      ['vic@example.org', 'viewer'],
    ]);
    expect(namedAdmin('ANN@example.org', admins)).toEqual({ email: 'ann@example.org', role: 'approver' });
    expect(namedAdmin('nobody@example.org', admins)).toBeUndefined();
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
