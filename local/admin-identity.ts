import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { AdminDirectory } from '../functions/lib/admins/directory';
import type { AdminIdentity } from '../functions/lib/admins/model';

/**
 * How the local stack stands in for API Gateway's IAM authoriser on /admin/*. The bearer token alone
 * acts as one IAM principal (`LOCAL_ADMIN_PRINCIPAL`, an approver, as IAM callers are in AWS). With
 * `X-Esr-Admin: <email>` as well, the request acts as that admin, who must be on the allow-list
 * (ESR_ADMINS or `esr admins add`), with the role it gives them: so one developer can be two admins, and the two-person rule be tried.
 */
export const LOCAL_ADMIN_PRINCIPAL = 'arn:aws:iam::000000000000:user/esr-local-admin';

/**
 * The admin named by X-Esr-Admin, or undefined when the header names nobody on the allow-list. The
 * allow-list is the console's own: ESR_ADMINS (parsed by `parseAdminList`, strictly, as the console
 * and the CDK app parse it) plus the admins stored with `esr admins add`.
 */
export const namedAdmin = async (
  header: string | string[] | undefined,
  admins: Pick<AdminDirectory, 'find'>,
): Promise<AdminIdentity | undefined> => {
  const email = (Array.isArray(header) ? header[0] : header)?.trim();
  return email ? admins.find(email) : undefined;
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
