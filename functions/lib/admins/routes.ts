import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import type { AuditLog } from '../audit/ports';
import type { Clock } from '../clock';
import { ConflictError, NotFoundError } from '../errors';
import { readBody } from '../http/body';
import { json } from '../http/responses';
import type { Route } from '../http/route';
import { validate } from '../http/validate';
import { adminEmailSchema, adminRoleSchema } from './allow-list';
import type { AdminDirectory } from './directory';
import type { AdminStore } from './ports';
import { ADMIN_MANAGEMENT_ROUTES } from './route-table';

export interface AdminManagementDeps {
  admins: { directory: AdminDirectory; store: AdminStore };
  audit: AuditLog;
  clock: Clock;
}

const putAdminSchema = z.object({ role: adminRoleSchema });
const emailParamSchema = z.object({ email: adminEmailSchema });

/** Who called the admin API: the IAM principal in AWS; the local stack's bearer token stands for one person. */
export const adminApiActor = (event: APIGatewayProxyEventV2): string => {
  const iam = (event.requestContext as { authorizer?: { iam?: { userArn?: string } } }).authorizer?.iam;
  return iam?.userArn ?? 'admin-api-token';
};

const emailOf = (event: APIGatewayProxyEventV2) =>
  validate(emailParamSchema, { email: decodeURIComponent(event.pathParameters?.email ?? '') }).email;

/**
 * The allow-list through the admin JSON API (`esr admins add|remove|list`): adds, changes and
 * removes stored admins. Admins configured at deploy time (ESR_ADMINS, context `admins`) are listed
 * but can only be changed by a deploy (409).
 */
export const adminManagementRoutes = (deps: AdminManagementDeps): Route[] => {
  const refuseConfigured = async (email: string) => {
    const listed = (await deps.admins.directory.list()).find((admin) => admin.email === email);
    if (listed?.source === 'config') {
      throw new ConflictError(
        'This admin is configured at deploy time (ESR_ADMINS or the context "admins"); change it there.',
      );
    }
  };
  return [
    {
      ...ADMIN_MANAGEMENT_ROUTES.list,
      handler: async () => json(200, { admins: await deps.admins.directory.list() }),
    },
    {
      ...ADMIN_MANAGEMENT_ROUTES.put,
      handler: async (event) => {
        const email = emailOf(event);
        const { role } = validate(putAdminSchema, readBody(event, ['json']).value);
        await refuseConfigured(email);
        const at = deps.clock.now().toISOString();
        await deps.admins.store.put({ email, role }, at);
        // Straight to the log, not through recordAudit (which strips anything like an address from the
        // detail): the address here is the admin's, staff not a subscriber, and the entry is about it.
        await deps.audit.record({
          at,
          actor: adminApiActor(event),
          action: 'admins.added',
          detail: { admin: email, role },
        });
        return json(200, { email, role, source: 'table' });
      },
    },
    {
      ...ADMIN_MANAGEMENT_ROUTES.remove,
      handler: async (event) => {
        const email = emailOf(event);
        await refuseConfigured(email);
        const at = deps.clock.now().toISOString();
        if (!(await deps.admins.store.remove(email, at))) throw new NotFoundError('No such admin.');
        // Straight to the log, not through recordAudit (which strips anything like an address from the
        // detail): the address here is the admin's, staff not a subscriber, and the entry is about it.
        await deps.audit.record({
          at,
          actor: adminApiActor(event),
          action: 'admins.removed',
          detail: { admin: email },
        });
        return json(200, { email, removed: true });
      },
    },
  ];
};
