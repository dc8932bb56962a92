import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { AdminIdentity } from '../functions/lib/admins/model';

/**
 * How the local stack stands in for API Gateway's IAM authoriser on /admin/*. The bearer token alone
 * acts as one IAM principal (`LOCAL_ADMIN_PRINCIPAL`, an approver, as IAM callers are in AWS). With
 * `X-Esr-Admin: <email>` as well, the request acts as that admin, who must be on ESR_ADMINS, with the
 * role ESR_ADMINS gives them: so one developer can be two admins, and the two-person rule be tried.
 */
export const LOCAL_ADMIN_PRINCIPAL = 'arn:aws:iam::000000000000:user/esr-local-admin';

const ROLES = ['viewer', 'editor', 'approver'] as const;

/**
 * ESR_ADMINS: entries separated by commas, semicolons or white space, each `email:role` (or
 * `email=role`), role one of viewer, editor, approver; an entry without a role is a viewer.
 */
export const parseAdminList = (value: string | undefined): Map<string, AdminIdentity['role']> => {
  const admins = new Map<string, AdminIdentity['role']>();
  for (const entry of (value ?? '').split(/[\s,;]+/).filter(Boolean)) {
    const [email = '', role = 'viewer'] = entry.split(/[:=]/);
    const normalised = email.trim().toLowerCase();
    if (!normalised.includes('@')) continue;
    admins.set(
      normalised,
      (ROLES as readonly string[]).includes(role) ? (role as AdminIdentity['role']) : 'viewer',
    );
  }
  return admins;
};

/** The admin named by X-Esr-Admin, or undefined when the header names nobody on the list. */
export const namedAdmin = (
  header: string | string[] | undefined,
  admins: Map<string, AdminIdentity['role']>,
): AdminIdentity | undefined => {
  const email = (Array.isArray(header) ? header[0] : header)?.trim().toLowerCase();
  const role = email ? admins.get(email) : undefined;
  return email && role ? { email, role } : undefined;
};

/** Puts the caller on the event as API Gateway would: `authorizer.iam`, or a named admin's context. */
export const withAdminAuthorizer = (
  event: APIGatewayProxyEventV2,
  admin: AdminIdentity | undefined,
): APIGatewayProxyEventV2 => ({
  ...event,
  requestContext: {
    ...event.requestContext,
    authorizer: admin
      ? { lambda: { adminEmail: admin.email, adminRole: admin.role } }
      : {
          iam: {
            accessKey: 'LOCAL',
            accountId: '000000000000',
            callerId: 'esr-local-admin',
            principalOrgId: null,
            userArn: LOCAL_ADMIN_PRINCIPAL,
            userId: 'esr-local-admin',
          },
        },
  } as APIGatewayProxyEventV2['requestContext'],
});
