import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { readBody } from '../http/body';
import { json } from '../http/responses';
import type { Route } from '../http/route';
import type { SubjectRightsDeps } from './ports';
import { SUBJECT_ADMIN_ROUTES } from './route-table';
import { eraseSubject, exportSubjectData } from './subject-rights';

/**
 * Who called the admin API, for the audit log: the IAM principal in AWS (SigV4), or the local
 * stack's bearer-token admin. Never a subscriber's data.
 */
export const adminActor = (event: APIGatewayProxyEventV2): string => {
  const iam = (event.requestContext as { authorizer?: { iam?: { userArn?: string } } }).authorizer?.iam;
  return iam?.userArn ?? 'local-admin';
};

/**
 * Subject access and erasure for an administrator acting on a request. The address goes in the
 * JSON body (`{"email": …}`), never in a path or query string, which API Gateway or a proxy could log.
 */
export const subjectAdminRoutes = (deps: SubjectRightsDeps): Route[] => [
  {
    ...SUBJECT_ADMIN_ROUTES.export,
    handler: async (event) =>
      json(200, await exportSubjectData(deps, readBody(event, ['json']).value, adminActor(event))),
  },
  {
    ...SUBJECT_ADMIN_ROUTES.erase,
    handler: async (event) =>
      json(200, { erased: await eraseSubject(deps, readBody(event, ['json']).value, adminActor(event)) }),
  },
];
