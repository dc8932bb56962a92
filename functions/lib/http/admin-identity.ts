import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import type { AdminIdentity } from '../admins/model';
import { UnauthorizedError } from '../errors';

/**
 * Who is calling the admin JSON API. In AWS the routes are IAM-authorised: the caller is the IAM
 * principal API Gateway verified (`requestContext.authorizer.iam.userArn`), trusted as an approver
 * (an IAM principal with execute-api:Invoke is an operator), though it still cannot approve its own
 * proposal. Locally the stack checks the bearer token and puts the same `iam` context on the event, or,
 * when the request names an admin with `X-Esr-Admin` who is on ESR_ADMINS, that admin and their role
 * as a Lambda authorizer's context would carry them (`authorizer.lambda`). No authorizer of the
 * admin routes in AWS sets that context, so the header does nothing there.
 */
const lambdaContext = z.object({
  adminEmail: z.string().min(3).max(254),
  adminRole: z.enum(['viewer', 'editor', 'approver']),
});

export const adminIdentityOf = (event: APIGatewayProxyEventV2): AdminIdentity => {
  const authorizer = (event.requestContext as { authorizer?: Record<string, unknown> }).authorizer;
  const named = lambdaContext.safeParse(authorizer?.lambda);
  if (named.success) return { email: named.data.adminEmail, role: named.data.adminRole };
  const userArn = (authorizer?.iam as { userArn?: unknown } | undefined)?.userArn;
  if (typeof userArn === 'string' && userArn.startsWith('arn:')) return { email: userArn, role: 'approver' };
  throw new UnauthorizedError('The request carries no admin identity.');
};
