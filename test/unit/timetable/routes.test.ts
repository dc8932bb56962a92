import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { errorToResponse } from '../../../functions/lib/http/errors';
import { type PublicDeps, publicRoutes } from '../../../functions/lib/root/api';
import { timetableRoutes } from '../../../functions/lib/timetable/routes';

const [route] = timetableRoutes();
const get = async (query: Record<string, string> | undefined) => {
  const event = { queryStringParameters: query } as unknown as APIGatewayProxyEventV2;
  try {
    return await (route?.handler(event) as Promise<{
      statusCode: number;
      headers: Record<string, string>;
      body: string;
    }>);
  } catch (error) {
    return errorToResponse(error);
  }
};
const issuesOf = async (query: Record<string, string> | undefined) => {
  const response = await get(query);
  expect(response.statusCode).toBe(400);
  const body = JSON.parse(response.body as string);
  expect(body.error).toBe('validation');
  return (body.issues as { path: string; message: string }[]).map((issue) => issue.path);
};

describe('GET /timetable', () => {
  it('is a public route', () => {
    const routes = publicRoutes({} as PublicDeps);
    expect(routes.some((r) => r.method === 'GET' && r.path === '/timetable')).toBe(true);
  });

  it('answers 200 with the milestones in date order, cacheable publicly for an hour', async () => {
    const response = await get({ election: 'local', nation: 'england', pollDate: '2027-05-06' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=3600');
    const body = JSON.parse(response.body as string);
    expect(Object.keys(body)).toEqual(['election', 'nation', 'pollDate', 'milestones']);
    expect(body).toMatchObject({ election: 'local', nation: 'england', pollDate: '2027-05-06' });
    const keys = body.milestones.map((m: { key: string }) => m.key);
    expect(keys).toEqual([
      'notice-of-election',
      'close-of-nominations',
      'sopn-published',
      'registration-deadline',
      'postal-vote-deadline',
      'vac-deadline',
      'polling-day',
    ]);
    const dates = body.milestones.map((m: { date: string }) => m.date);
    expect(dates).toEqual([...dates].sort());
    for (const m of body.milestones) {
      expect(Object.keys(m)).toEqual(
        m.key === 'polling-day'
          ? ['key', 'date', 'time', 'endTime', 'label']
          : ['key', 'date', 'time', 'label'],
      );
    }
    expect(body.milestones.at(-1)).toMatchObject({ date: '2027-05-06', time: '07:00', endTime: '22:00' });
  });

  it.each([
    [{ nation: 'england', pollDate: '2027-05-06' }, ['election']],
    [{ election: 'euro', nation: 'england', pollDate: '2027-05-06' }, ['election']],
    [{ election: 'local', pollDate: '2027-05-06' }, ['nation']],
    [{ election: 'local', nation: 'mars', pollDate: '2027-05-06' }, ['nation']],
    [{ election: 'senedd', nation: 'scotland', pollDate: '2027-05-06' }, ['nation']],
    [{ election: 'local', nation: 'england' }, ['pollDate']],
    [{ election: 'local', nation: 'england', pollDate: '06/05/2027' }, ['pollDate']],
    [{ election: 'local', nation: 'england', pollDate: '2027-02-30' }, ['pollDate']],
    [{ election: 'uk-parliament', nation: 'uk', pollDate: '2029-08-15' }, ['pollDate']],
    [{}, ['election', 'nation', 'pollDate']],
  ])('400 naming the bad field: %o', async (query, fields) => {
    expect(await issuesOf(query)).toEqual(fields);
  });

  it('400 for no query at all', async () => {
    expect(await issuesOf(undefined)).toEqual(['election', 'nation', 'pollDate']);
  });

  it('says which nations an election is held in', async () => {
    const response = await get({ election: 'gla', nation: 'wales', pollDate: '2028-05-04' });
    expect(JSON.parse(response.body as string).issues[0].message).toContain('england');
  });
});
