import { json } from './responses';
import type { Route } from './route';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * Completes a list of routes as HTTP expects: HEAD answers every GET route with its headers and no
 * body, and another method on a known path gets 405 with `Allow` rather than a 404.
 */
export const withHeadAndMethodNotAllowed = (routes: Route[]): Route[] => {
  const methodsByPath = new Map<string, Set<string>>();
  for (const route of routes) {
    const methods = methodsByPath.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    if (route.method === 'GET') methods.add('HEAD');
    methodsByPath.set(route.path, methods);
  }
  const head: Route[] = routes
    .filter((route) => route.method === 'GET')
    .map((route) => ({
      method: 'HEAD',
      path: route.path,
      handler: async (event) => ({ ...(await route.handler(event)), body: '', isBase64Encoded: false }),
    }));
  const notAllowed: Route[] = [...methodsByPath].flatMap(([path, methods]) => {
    const allow = METHODS.filter((method) => methods.has(method)).join(', ');
    return METHODS.filter((method) => !methods.has(method)).map((method) => ({
      method,
      path,
      handler: async () => json(405, { error: 'method_not_allowed', message: `Use ${allow}.` }, { allow }),
    }));
  });
  return [...routes, ...head, ...notAllowed];
};
