import type { LambdaHandler } from './lambda';

/**
 * The Lambda entries the local stack runs, by the names the CDK app gives them. Imported lazily,
 * after the local stack has set the environment they read at module load (endpoints, table name).
 */
export const LOCAL_FUNCTIONS = {
  api: () => import('../functions/api'),
  'admin-api': () => import('../functions/admin-api'),
  dispatch: () => import('../functions/dispatch'),
  send: () => import('../functions/send'),
  'ses-events': () => import('../functions/ses-events'),
  'confirmation-email': () => import('../functions/confirmation-email'),
  console: () => import('../functions/console'),
  'console-sign-in-email': () => import('../functions/console-sign-in-email'),
} satisfies Record<string, () => Promise<{ handler: unknown }>>;

export type LocalFunctionName = keyof typeof LOCAL_FUNCTIONS;

export const loadHandler = async (name: LocalFunctionName): Promise<LambdaHandler> =>
  (await LOCAL_FUNCTIONS[name]()).handler as unknown as LambdaHandler;
