import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localSesAccount } from '../../local/stack';
import { TEST_APPROVER, TEST_ESR_ADMINS } from '../support/campaigns';
import {
  freePort,
  type StackProcess,
  spawnStack,
  startSesProxy,
  waitForHealth,
} from '../support/local-stack-process';
import { type SesEmulator, startSesEmulator } from '../support/ses-emulator';
import { linkIn, postForm, postJson, type StoredEmail, sesStore } from '../support/subscriptions';

/**
 * `npm start` as a developer runs it, in a child process on one data folder: killed with SIGKILL in
 * the middle of a step's send, started again, stopped with Ctrl-C (SIGINT), started again. Nobody
 * gets the step twice, nobody misses it, and the later steps still fire.
 */
const ADMIN_TOKEN = 'restart-test-token';
const PEOPLE = 110; // three send messages: 50, 50 and 10 recipients
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('the local stack across restarts', () => {
  let dataDir: string;
  let ses: SesEmulator;
  let proxy: Awaited<ReturnType<typeof startSesProxy>>;
  let port: number;
  let awsPort: number;
  let stack: StackProcess | undefined;

  const startUps: number[] = [];
  const start = async () => {
    stack = spawnStack({
      dataDir,
      port,
      awsPort,
      env: {
        ESR_ADMIN_TOKEN: ADMIN_TOKEN,
        ESR_ADMINS: TEST_ESR_ADMINS,
        AWS_ENDPOINT_URL_SESV2: proxy.endpoint,
        // Short claim and visibility timeouts so the test need not wait half a minute for them.
        CLAIM_TIMEOUT_SECONDS: '4',
        LOCAL_SEND_VISIBILITY_TIMEOUT_SECONDS: '5',
        LOCAL_CONFIRMATION_VISIBILITY_TIMEOUT_SECONDS: '5',
      },
    });
    const health = await waitForHealth(stack.apiUrl);
    expect(health.answers.filter((answer) => answer === 'hung')).toEqual([]);
    startUps.push(health.ms);
    return stack;
  };
  const api = (path: string, init: { method?: string; json?: unknown; as?: string } = {}) =>
    fetch(`${stack?.apiUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(init.as ? { 'x-esr-admin': init.as } : {}),
        ...(init.json ? { 'content-type': 'application/json' } : {}),
      },
      body: init.json ? JSON.stringify(init.json) : undefined,
    });
  const setClock = (now: string) => postJson(`${stack?.apiUrl}/local/clock`, { now });
  /** Step emails per address since the mark. */
  const emailsSince = async (mark: number) => {
    const counts = new Map<string, number>();
    for (const email of (await sesStore(ses.endpoint)).slice(mark)) {
      for (const to of email.destination.to) counts.set(to, (counts.get(to) ?? 0) + 1);
    }
    return counts;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'esr-restart-'));
    // The SES emulator outlives the stack (in this process), so it counts every email either run sent.
    process.env.AWS_SES_ACCOUNT = localSesAccount(200);
    ses = await startSesEmulator();
    proxy = await startSesProxy(ses.endpoint);
    [port, awsPort] = [await freePort(), await freePort()];
  });
  afterAll(async () => {
    stack?.child.kill('SIGKILL');
    await stack?.exited;
    await proxy?.close();
    await ses?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers every request during start-up at once (503 until every part is up), never leaving one hanging', async () => {
    const fresh = spawnStack({
      dataDir: await mkdtemp(join(tmpdir(), 'esr-startup-')),
      port: await freePort(),
      awsPort: 0,
    });
    try {
      const health = await waitForHealth(fresh.apiUrl);
      expect(health.answers.filter((answer) => answer === 'hung')).toEqual([]);
      expect(
        health.answers.filter((answer) => typeof answer === 'number' && answer !== 503 && answer !== 200),
      ).toEqual([]);
      expect(health.answers.at(-1)).toBe(200);
    } finally {
      fresh.child.kill('SIGKILL');
      await fresh.exited;
    }
  });

  it('loses no reminder and sends none twice when killed mid-send, and keeps its schedules through Ctrl-C', async () => {
    let running = await start();
    expect((await setClock('2027-03-01T10:00:00Z')).status).toBe(200);
    const created = await api('/admin/campaigns', {
      method: 'POST',
      json: {
        name: 'Restart council elections 2027',
        pollDate: '2027-05-06',
        nation: 'england',
        organiser: { name: 'Restart Borough Council', email: 'elections@restart.example.org' },
      },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const approved = await api(`/admin/campaigns/${id}/approve`, { method: 'POST', as: TEST_APPROVER.email });
    expect({ status: approved.status, body: approved.status === 200 ? 'ok' : await approved.text() }).toEqual({
      status: 200,
      body: 'ok',
    });
    const campaign = (await approved.json()) as {
      id: string;
      steps: { key: string; sendAt: string; roles: string[] }[];
    };
    const candidateSteps = campaign.steps.filter((step) => step.roles.includes('candidate'));
    const [first, second] = candidateSteps as [(typeof candidateSteps)[0], (typeof candidateSteps)[0]];

    const people = Array.from({ length: PEOPLE }, (_, i) => `candidate.${i}@restart.example.org`);
    const beforeSignUps = (await sesStore(ses.endpoint)).length;
    for (const email of people) {
      const signup = await postJson(`${running.apiUrl}/subscriptions`, {
        email,
        role: 'candidate',
        campaignId: campaign.id,
        consent: true,
      });
      expect(signup.status).toBe(202);
    }
    // Confirmation emails go through the confirmation queue, which the running stack drains by itself
    // (slowly on a loaded machine: the loop ends as soon as all have arrived).
    let confirmations = (await sesStore(ses.endpoint)).slice(beforeSignUps);
    for (let waited = 0; confirmations.length < PEOPLE && waited < 90_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      confirmations = (await sesStore(ses.endpoint)).slice(beforeSignUps);
    }
    expect(confirmations).toHaveLength(PEOPLE);
    for (const email of people) {
      const confirmation = confirmations.find((sent) => sent.destination.to.includes(email)) as StoredEmail;
      const token = new URL(linkIn(confirmation, '/subscriptions/confirm')).searchParams.get('token');
      expect(
        (await postForm(`${running.apiUrl}/subscriptions/confirm`, { token: String(token) })).status,
      ).toBe(200);
    }
    const mark = (await sesStore(ses.endpoint)).length;

    // The first step fires; on its second SES call the stack is killed with SIGKILL.
    proxy.killOnBulkCall(2, running.child);
    const firing = setClock(first.sendAt).catch(() => undefined);
    await running.exited;
    await firing;
    proxy.passThrough();
    const beforeRestart = await emailsSince(mark);
    const sentBefore = [...beforeRestart.values()].reduce((sum, n) => sum + n, 0);
    expect(sentBefore).toBeGreaterThan(0);
    expect(sentBefore).toBeLessThan(PEOPLE);

    // Started again on the same data: the step's messages come back and finish the send.
    running = await start();
    const deadline = Date.now() + 60_000;
    let status = '';
    while (Date.now() < deadline && status !== 'sent') {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const shown = (await (await api(`/admin/campaigns/${campaign.id}`)).json()) as {
        steps: { key: string; status: string }[];
      };
      status = shown.steps.find((step) => step.key === first.key)?.status ?? '';
    }
    expect(status).toBe('sent');
    const afterRestart = await emailsSince(mark);
    expect(people.filter((email) => afterRestart.get(email) !== 1)).toEqual([]);
    expect(afterRestart.size).toBe(PEOPLE);

    // Ctrl-C, then start again: every later schedule is still there, and the next step fires once.
    const scheduler = new SchedulerClient({ endpoint: running.awsUrl, region: 'eu-west-2', credentials });
    const listed = async () =>
      ((await scheduler.send(new ListSchedulesCommand({ NamePrefix: `esr-${campaign.id}` }))).Schedules ?? [])
        .map((schedule) => schedule.Name)
        .sort();
    const schedulesBefore = await listed();
    expect(schedulesBefore.length).toBeGreaterThan(0);
    running.child.kill('SIGINT');
    await running.exited;
    running = await start();
    expect(await listed()).toEqual(schedulesBefore);
    scheduler.destroy();

    const secondMark = (await sesStore(ses.endpoint)).length;
    expect((await setClock(second.sendAt)).status).toBe(200);
    const secondStep = await emailsSince(secondMark);
    expect(people.filter((email) => secondStep.get(email) !== 1)).toEqual([]);
    console.log(
      JSON.stringify({
        people: PEOPLE,
        sentBeforeKill: sentBefore,
        sentAfterRestart: [...afterRestart.values()].reduce((sum, n) => sum + n, 0) - sentBefore,
        duplicates: [...afterRestart.values()].filter((n) => n > 1).length,
        missed: PEOPLE - afterRestart.size,
        msToFirstHealthy: startUps,
      }),
    );
  }, 240_000);
});
