import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_API, EXIT_OK, EXIT_USAGE, main } from '../../cli/esr';
import { bootLocalStack } from '../support/local-stack';

/** GET /timetable through the local stack's real HTTP edge, and `esr timetable` against it. */

let ctx: Awaited<ReturnType<typeof bootLocalStack>>;

beforeAll(async () => {
  ctx = await bootLocalStack();
});
afterAll(async () => ctx?.stop());

const esr = async (args: string[]) => {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: { ESR_API_URL: ctx.stack.apiUrl },
    cwd: ctx.dataDir,
  });
  return { code, stdout, stderr };
};

describe('GET /timetable over HTTP', () => {
  it('answers without any credentials, cacheable, with the milestones in date order', async () => {
    const response = await fetch(
      `${ctx.stack.apiUrl}/timetable?election=local&nation=scotland&pollDate=2027-05-06`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
    const body = await response.json();
    expect(body).toMatchObject({ election: 'local', nation: 'scotland', pollDate: '2027-05-06' });
    expect(body.milestones.map((m: { key: string; date: string }) => [m.key, m.date])).toEqual([
      ['notice-of-election', '2027-03-24'],
      ['close-of-nominations', '2027-04-02'],
      ['sopn-published', '2027-04-05'],
      ['registration-deadline', '2027-04-19'],
      ['postal-vote-deadline', '2027-04-20'],
      ['vac-deadline', '2027-04-27'],
      ['polling-day', '2027-05-06'],
    ]);
  });

  it('answers 400 naming the bad field', async () => {
    const response = await fetch(
      `${ctx.stack.apiUrl}/timetable?election=scottish-parliament&nation=wales&pollDate=2027-05-06`,
    );
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toMatchObject({ error: 'validation', issues: [{ path: 'nation' }] });
  });
});

describe('esr timetable', () => {
  it('prints the timetable as a table', async () => {
    const result = await esr([
      'timetable',
      '--election',
      'local',
      '--nation',
      'scotland',
      '--poll-date',
      '2027-05-06',
    ]);
    expect(result).toMatchObject({ code: EXIT_OK, stderr: '' });
    expect(result.stdout).toContain('Timetable: local election in scotland, poll 2027-05-06');
    expect(result.stdout).toMatch(/2027-04-02\s+16:00\s+close-of-nominations\s+Nominations close at 4pm/);
    expect(result.stdout).toMatch(/2027-05-06\s+07:00-22:00\s+polling-day/);
    expect(result.stdout).toMatch(/2027-03-24\s+-\s+notice-of-election/);
  });

  it('--json prints the API answer', async () => {
    const result = await esr([
      '--json',
      'timetable',
      '--election',
      'uk-parliament',
      '--nation',
      'uk',
      '--poll-date',
      '2024-07-04',
    ]);
    expect(result.code).toBe(EXIT_OK);
    const answer = JSON.parse(result.stdout);
    expect(answer.milestones.find((m: { key: string }) => m.key === 'close-of-nominations')).toMatchObject({
      date: '2024-06-07',
      time: '16:00',
    });
  });

  it('an unknown nation is a usage error; a date outside the data is the API’s 400', async () => {
    const usage = await esr([
      'timetable',
      '--election',
      'local',
      '--nation',
      'mars',
      '--poll-date',
      '2027-05-06',
    ]);
    expect(usage.code).toBe(EXIT_USAGE);
    const refused = await esr([
      'timetable',
      '--election',
      'local',
      '--nation',
      'england',
      '--poll-date',
      '2031-05-01',
    ]);
    expect(refused.code).toBe(EXIT_API);
    expect(refused.stderr).toContain('pollDate: This timetable needs bank holidays for 2031');
  });
});
