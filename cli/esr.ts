import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import type { AuditEntry } from '../functions/lib/audit/ports';
import type {
  AlertView,
  ApprovedCampaignView,
  CampaignDetailView,
  CampaignSummaryView,
  ChangedCampaignView,
  CreatedCampaignView,
  StepView,
  UpdatedCampaignView,
} from '../functions/lib/campaigns/view';
import { ROLES, type Role } from '../functions/lib/domain/roles';
import type { ImportView } from '../functions/lib/imports/routes';
import type { ErasureCounts, SubjectData } from '../functions/lib/subjects/model';
import { ELECTION_TYPES, TIMETABLE_NATIONS } from '../functions/lib/timetable/elections';
import type { TimetableView } from '../functions/lib/timetable/routes';
import {
  type ApiClient,
  ApiError,
  ApiUnreachableError,
  createApiClient,
  regionFromApiUrl,
} from './api-client';

/**
 * `npx esr`: the admin CLI. Talks to the admin API with a bearer token (local stack) or SigV4 (a
 * deployed stack). Exit codes: 0 ok, 1 the API refused or could not be reached, 2 usage.
 */

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  fetch?: typeof fetch;
  /** stdout is a terminal: progress redraws one line; otherwise it prints a line now and then. */
  tty?: boolean;
  /** How often `esr import` asks for progress (ms; default 1000). */
  pollMs?: number;
}

export const EXIT_OK = 0;
export const EXIT_API = 1;
export const EXIT_USAGE = 2;
export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

interface GlobalOptions {
  apiUrl?: string;
  token?: string;
  as?: string;
  sigv4?: boolean;
  region?: string;
  json?: boolean;
}

// The admin API's answers, typed by the server's own views (types only: nothing of the server runs here).
type Step = StepView;
type Campaign = CampaignDetailView;
type CampaignSummary = CampaignSummaryView;
type Timetable = TimetableView;
type Alert = AlertView;
type AuditEntryView = AuditEntry;
type ImportJob = ImportView;

class UsageError extends Error {}

const AUDIENCE_NAMES = ['candidates', 'officials', 'polling-staff'];

/** `--organiser-*` flags as the API's organiser object (only what was given). */
const organiserFrom = (options: Record<string, unknown>) => {
  const organiser = Object.fromEntries(
    (['name', 'email', 'phone', 'website'] as const)
      .map((field) => [field, options[`organiser${field[0]?.toUpperCase()}${field.slice(1)}`]])
      .filter(([, value]) => typeof value === 'string'),
  );
  return Object.keys(organiser).length > 0 ? { organiser } : {};
};

/** `--contact "officials|Name|phone|email"` flags as the API's contacts object. */
const contactsFrom = (specs: unknown) => {
  if (!Array.isArray(specs)) return {};
  const contacts: Record<string, Record<string, string>> = {};
  for (const spec of specs as string[]) {
    const [audience = '', name = '', phone = '', email = ''] = spec.split('|').map((part) => part.trim());
    if (!AUDIENCE_NAMES.includes(audience)) {
      throw new UsageError(`--contact starts with one of ${AUDIENCE_NAMES.join(', ')}: "${spec}"`);
    }
    contacts[audience] = { name, ...(phone ? { phone } : {}), ...(email ? { email } : {}) };
  }
  return { contacts };
};

/** Plain text table: columns padded to their widest cell. */
export const table = (headers: string[], rows: string[][]): string => {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
};

/** "close-of-nominations +0" or "polling-day −3 working days". */
const anchorText = (step: Step) => {
  const { days, unit } = step.offset ?? { days: 0, unit: 'calendar' };
  const sign = days < 0 ? '-' : '+';
  return `${step.milestone ?? '?'} ${sign}${Math.abs(days)}${unit === 'working' ? ' working' : ''}`;
};

const stepRows = (steps: Step[]) =>
  steps.map((step) => [
    step.sendAt,
    step.key,
    anchorText(step),
    step.roles.join(','),
    step.late ? `${step.status} (late)` : step.status,
    step.delivery ? `${step.delivery.sent} sent, ${step.delivery.failed} failed` : '-',
  ]);
const stepTable = (steps: Step[]) =>
  table(['SEND AT', 'STEP', 'TIMED FROM', 'ROLES', 'STATUS', 'DELIVERY'], stepRows(steps));

const counts = (campaign: Campaign) =>
  Object.entries(campaign.stepCounts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');

const describeCampaign = (campaign: Campaign) =>
  [
    `Campaign ${campaign.id}: ${campaign.name}`,
    `  organiser: ${campaign.organiser ? `${campaign.organiser.name} <${campaign.organiser.email}>` : '(none)'}`,
    ...Object.entries(campaign.contacts ?? {}).map(
      ([audience, contact]) =>
        `  contact for ${audience}: ${[contact?.name, contact?.phone, contact?.email].filter(Boolean).join(', ')}`,
    ),
    `  ${campaign.election} election, poll date ${campaign.pollDate} (${campaign.nation}), ${campaign.status}, ` +
      `playbook ${campaign.playbook}, times in ${campaign.timezone}`,
    ...(campaign.nonWorkingDays?.length
      ? [`  extra non-working days: ${campaign.nonWorkingDays.join(', ')}`]
      : []),
    `  steps: ${counts(campaign)}`,
    ...(campaign.status === 'draft'
      ? [
          `  DRAFT by ${campaign.createdBy ?? '?'}: nothing is scheduled or public until another approver runs \`esr campaign approve ${campaign.id}\``,
        ]
      : []),
    ...(campaign.approvedBy ? [`  approved by ${campaign.approvedBy} at ${campaign.approvedAt}`] : []),
    ...(campaign.pendingChange
      ? [
          `  PENDING ${campaign.pendingChange.kind} ${campaign.pendingChange.id} by ${campaign.pendingChange.proposedBy}` +
            `${campaign.pendingChange.update ? `: ${JSON.stringify(campaign.pendingChange.update)}` : ''}` +
            ` (another approver: \`esr campaign approve ${campaign.id}\`; withdraw: \`esr campaign withdraw ${campaign.id}\`)`,
        ]
      : []),
    ...(campaign.alerts ?? []).map(
      (alert) => `  alert ${alert.id} (${alert.status}) to ${alert.roles.join(',')}: ${alert.subject}`,
    ),
    ...(campaign.subscribers
      ? [
          `  confirmed subscribers: ${Object.entries(campaign.subscribers)
            .map(([role, n]) => `${role} ${n}`)
            .join(', ')}`,
        ]
      : []),
    '',
    table(
      ['MILESTONE', 'DATE', 'TIME'],
      (campaign.milestones ?? []).map((m) => [
        m.label,
        m.date,
        [m.time, m.endTime].filter(Boolean).join('–') || '-',
      ]),
    ),
    '',
    stepTable(campaign.steps),
    ...campaign.steps
      .filter((step) => step.status === 'skipped' && step.skipReason)
      .map((step) => `  ${step.key} skipped: ${step.skipReason}`),
  ].join('\n');

const readTokenFile = (cwd: string): string | undefined => {
  try {
    return readFileSync(join(cwd, '.local', 'admin-token'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
};

/** How the CLI reaches the API: flags first, then ESR_* variables, then the local stack's token file. */
const clientFor = (options: GlobalOptions, io: CliIo): { client: ApiClient; baseUrl: string } => {
  const baseUrl = options.apiUrl ?? io.env.ESR_API_URL ?? DEFAULT_API_URL;
  try {
    new URL(baseUrl);
  } catch {
    throw new UsageError(`The API URL "${baseUrl}" is not a URL (set --api-url or ESR_API_URL).`);
  }
  const sigv4 = options.sigv4 || io.env.ESR_SIGV4 === '1';
  const admin = options.as ?? io.env.ESR_AS;
  if (sigv4) {
    if (admin)
      throw new UsageError('--as is for the local stack: with --sigv4 you act as your IAM principal.');
    const region =
      options.region ?? regionFromApiUrl(baseUrl) ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
    if (!region) throw new UsageError('SigV4 needs a region: pass --region or set AWS_REGION.');
    return { client: createApiClient({ baseUrl, sigv4: { region }, fetch: io.fetch }), baseUrl };
  }
  // The local stack's token file is only ever sent to a local stack.
  const local = ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(baseUrl).hostname);
  const token = options.token ?? io.env.ESR_ADMIN_TOKEN ?? (local ? readTokenFile(io.cwd) : undefined);
  return {
    client: createApiClient({ baseUrl, token, fetch: io.fetch, ...(admin ? { admin } : {}) }),
    baseUrl,
  };
};

/** What a person can do about an error, one line each. */
export const explain = (error: unknown, baseUrl: string): string => {
  if (error instanceof ApiUnreachableError) {
    return `Cannot reach the API at ${baseUrl} — is \`npm start\` running? (Or point --api-url / ESR_API_URL at a deployed stack.)`;
  }
  if (!(error instanceof ApiError)) return `Unexpected error: ${(error as Error)?.message ?? error}`;
  const body = error.body;
  if (error.status === 400 && body?.error === 'validation' && body.issues) {
    return [
      'The API refused the request:',
      ...body.issues.map((issue) => `  ${issue.path}: ${issue.message}`),
    ].join('\n');
  }
  if (error.status === 401) {
    return [
      'The admin API needs the admin token (401).',
      '  Locally: `npm start` prints it and keeps it in .local/admin-token; pass --token <token> or set ESR_ADMIN_TOKEN.',
      '  Deployed stack: use --sigv4 (or ESR_SIGV4=1) with AWS credentials allowed to call the admin API.',
    ].join('\n');
  }
  if (error.status === 403 && body?.error === 'forbidden') return `Refused (403): ${body.message}`;
  if (error.status === 403) {
    return 'The admin API refused your AWS credentials (403): they need execute-api:Invoke on the admin routes.';
  }
  const what = body?.message ?? body?.error ?? 'no details';
  return `The API answered ${error.status}: ${what}`;
};

export const main = async (argv: string[], io: CliIo): Promise<number> => {
  let exitCode = EXIT_OK;
  let baseUrl = DEFAULT_API_URL;
  const print = (text: string) => io.stdout(`${text}\n`);

  const program = new Command('esr')
    .description(
      'Admin CLI for election-security-reminders: campaigns and their reminder timelines, approvals, urgent alerts and the audit log.',
    )
    .option('--api-url <url>', `API base URL (env ESR_API_URL; default ${DEFAULT_API_URL})`)
    .option(
      '--token <token>',
      'admin bearer token for the local stack (env ESR_ADMIN_TOKEN, or .local/admin-token)',
    )
    .option(
      '--as <email>',
      'local stack only: act as this admin on ESR_ADMINS, with the role it gives them (env ESR_AS)',
    )
    .option('--sigv4', 'sign requests with SigV4 using the default AWS credentials (env ESR_SIGV4=1)')
    .option('--region <region>', 'AWS region for --sigv4 (default: from the URL or AWS_REGION)')
    .option('--json', 'print the API answer as JSON')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run `esr --help` for usage)');

  /** Runs an API call for a command, turning failures into a message and exit code 1. */
  const run =
    <A extends unknown[]>(action: (client: ApiClient, globals: GlobalOptions, ...args: A) => Promise<void>) =>
    async (...args: A) => {
      const globals = program.opts<GlobalOptions>();
      const { client, baseUrl: url } = clientFor(globals, io);
      baseUrl = url;
      await action(client, globals, ...args);
    };

  const campaign = program
    .command('campaign')
    .description('create, list, show, approve, reschedule or cancel campaigns');

  campaign
    .command('create')
    .description(
      'create a draft campaign for a poll date; another approver approves it to schedule its reminders',
    )
    .requiredOption('--name <name>', 'campaign name, e.g. "Anytown council 2027"')
    .requiredOption('--poll-date <date>', 'polling day, YYYY-MM-DD')
    .addOption(new Option('--election <type>', 'election type (default local)').choices(ELECTION_TYPES))
    .addOption(
      new Option('--nation <nation>', 'where the poll is (uk: a UK general election)')
        .choices(TIMETABLE_NATIONS)
        .makeOptionMandatory(),
    )
    .requiredOption('--organiser-name <name>', 'who runs the campaign, e.g. "Anytown Borough Council"')
    .requiredOption('--organiser-email <email>', "the organiser's contact address (Reply-To of every email)")
    .option('--organiser-phone <phone>', "the organiser's phone number")
    .option('--organiser-website <url>', "the organiser's website (https)")
    .option(
      '--contact <audience|name|phone|email...>',
      'a local contact for an audience (candidates, officials, polling-staff), e.g. "officials|Election SPOC, Anytown Police|01234 000000|"',
    )
    .option('--non-working-day <date...>', 'a day of public thanksgiving or mourning, YYYY-MM-DD')
    .option('--playbook <id>', 'playbook id (default uk-election-security)')
    .option('--timezone <zone>', 'IANA time zone (default Europe/London)')
    .action(
      run(async (client, globals, options: Record<string, string | string[] | undefined>) => {
        const created = await client.request<CreatedCampaignView>('POST', '/admin/campaigns', {
          name: options.name,
          pollDate: options.pollDate,
          nation: options.nation,
          ...organiserFrom(options),
          ...contactsFrom(options.contact),
          ...(options.election ? { election: options.election } : {}),
          ...(options.nonWorkingDay ? { nonWorkingDays: options.nonWorkingDay } : {}),
          ...(options.playbook ? { playbook: options.playbook } : {}),
          ...(options.timezone ? { timezone: options.timezone } : {}),
        });
        if (globals.json) return print(JSON.stringify(created, null, 2));
        print(
          `Created draft campaign ${created.id}. Nothing is scheduled or public until another approver runs \`esr campaign approve ${created.id}\`.`,
        );
        print(describeCampaign(created));
        if (created.skipped?.length) {
          print('\nSkipped (their time had passed and they are no longer worth sending):');
          print(
            table(
              ['STEP', 'WAS DUE', 'WHY'],
              created.skipped.map((step) => [step.key, step.sendAt, step.reason ?? '']),
            ),
          );
        }
      }),
    );

  campaign
    .command('list')
    .description('list campaigns')
    .action(
      run(async (client, globals) => {
        const { campaigns } = await client.request<{ campaigns: CampaignSummary[] }>(
          'GET',
          '/admin/campaigns',
        );
        if (globals.json) return print(JSON.stringify(campaigns, null, 2));
        if (campaigns.length === 0) return print('No campaigns yet. Create one with `esr campaign create`.');
        print(
          table(
            ['ID', 'NAME', 'POLL DATE', 'NATION', 'STATUS', 'NEXT SEND', 'AWAITING APPROVAL'],
            campaigns.map((c) => [
              c.id,
              c.name,
              c.pollDate,
              c.nation,
              c.status,
              c.nextSendAt ?? '-',
              c.awaitingApproval.join(', ') || '-',
            ]),
          ),
        );
      }),
    );

  campaign
    .command('show')
    .description('show a campaign and the status of each step')
    .argument('<id>', 'campaign id')
    .action(
      run(async (client, globals, id: string) => {
        const shown = await client.request<Campaign>('GET', `/admin/campaigns/${encodeURIComponent(id)}`);
        print(globals.json ? JSON.stringify(shown, null, 2) : describeCampaign(shown));
      }),
    );

  campaign
    .command('update')
    .alias('reschedule')
    .description(
      'change a campaign: a new poll date or one-off non-working days (every step not yet sent moves with its milestone), the organiser or the local contacts',
    )
    .argument('<id>', 'campaign id')
    .option('--poll-date <date>', 'the new polling day, YYYY-MM-DD')
    .option('--non-working-day <date...>', 'the days of public thanksgiving or mourning (replaces the list)')
    .option('--organiser-name <name>', 'who runs the campaign')
    .option('--organiser-email <email>', "the organiser's contact address")
    .option('--organiser-phone <phone>', "the organiser's phone number")
    .option('--organiser-website <url>', "the organiser's website (https)")
    .option('--contact <audience|name|phone|email...>', 'the local contacts (replaces them)')
    .action(
      run(async (client, globals, id: string, options: Record<string, string | string[] | undefined>) => {
        const change = {
          ...(options.pollDate ? { pollDate: options.pollDate } : {}),
          ...(options.nonWorkingDay ? { nonWorkingDays: options.nonWorkingDay } : {}),
          ...organiserFrom(options),
          ...contactsFrom(options.contact),
        };
        if (Object.keys(change).length === 0) {
          throw new UsageError(
            'Give at least one of --poll-date, --non-working-day, --organiser-*, --contact.',
          );
        }
        const moved = await client.request<UpdatedCampaignView & ChangedCampaignView>(
          'PATCH',
          `/admin/campaigns/${encodeURIComponent(id)}`,
          change,
        );
        if (globals.json) return print(JSON.stringify(moved, null, 2));
        if (moved.outcome === 'proposed') {
          return print(
            `Proposed change ${moved.pendingChange?.id} to campaign ${moved.id}: nothing changes until another approver runs \`esr campaign approve ${moved.id}\`.`,
          );
        }
        print(
          `Campaign ${moved.id}: poll date ${moved.pollDate}, organiser ${moved.organiser?.name ?? '(none)'}.`,
        );
        if (!moved.moved?.length) return print('No steps moved.');
        print(`${moved.moved.length} step(s) moved:`);
        print(
          table(
            ['STEP', 'FROM', 'TO', 'STATUS'],
            moved.moved.map((m) => [m.key, m.from, m.to, m.status]),
          ),
        );
      }),
    );

  campaign
    .command('cancel')
    .description(
      'cancel a campaign: a draft at once; a live campaign once another approver approves (then every pending schedule is deleted)',
    )
    .argument('<id>', 'campaign id')
    .action(
      run(async (client, globals, id: string) => {
        const cancelled = await client.request<ChangedCampaignView>(
          'POST',
          `/admin/campaigns/${encodeURIComponent(id)}/cancel`,
        );
        if (globals.json) return print(JSON.stringify(cancelled, null, 2));
        if (cancelled.outcome === 'proposed') {
          return print(
            `Proposed cancelling campaign ${cancelled.id} (change ${cancelled.pendingChange?.id}): it goes on until another approver runs \`esr campaign approve ${cancelled.id}\`.`,
          );
        }
        print(`Cancelled campaign ${cancelled.id}: nothing more will be sent (steps: ${counts(cancelled)}).`);
      }),
    );

  campaign
    .command('approve')
    .description('approve what waits on a campaign: the draft, or the pending change (not your own)')
    .argument('<id>', 'campaign id')
    .option('--change <changeId>', 'the pending change you reviewed (refused if it was replaced)')
    .action(
      run(async (client, globals, id: string, options: { change?: string }) => {
        const approved = await client.request<ApprovedCampaignView>(
          'POST',
          `/admin/campaigns/${encodeURIComponent(id)}/approve`,
          options.change ? { changeId: options.change } : {},
        );
        if (globals.json) return print(JSON.stringify(approved, null, 2));
        if (approved.approved === 'draft') {
          print(`Approved campaign ${approved.id}: it is open and its reminders are scheduled.`);
          return print(describeCampaign(approved));
        }
        if (approved.approved === 'cancel') {
          return print(`Approved cancelling campaign ${approved.id}: nothing more will be sent.`);
        }
        print(`Approved change ${approved.changeId} to campaign ${approved.id}.`);
        if (approved.moved?.length) {
          print(`${approved.moved.length} step(s) moved:`);
          print(
            table(
              ['STEP', 'FROM', 'TO', 'STATUS'],
              approved.moved.map((m) => [m.key, m.from, m.to, m.status]),
            ),
          );
        }
      }),
    );

  campaign
    .command('withdraw')
    .alias('reject')
    .description("drop the pending change: withdraw your own, or reject another admin's (approvers)")
    .argument('<id>', 'campaign id')
    .action(
      run(async (client, globals, id: string) => {
        const campaign = await client.request<Campaign>(
          'POST',
          `/admin/campaigns/${encodeURIComponent(id)}/withdraw`,
          {},
        );
        if (globals.json) return print(JSON.stringify(campaign, null, 2));
        print(`Campaign ${campaign.id}: the pending change was dropped; nothing changed.`);
      }),
    );

  const alert = program
    .command('alert')
    .description('urgent alerts: prepare, preview, approve or withdraw an out-of-timeline message');

  alert
    .command('create')
    .description(
      'prepare an urgent alert (approvers): restricted Markdown, sent once another approver approves',
    )
    .argument('<campaignId>', 'campaign id')
    .requiredOption('--subject <subject>', 'the subject line')
    .option(
      '--body <markdown>',
      'the message: paragraphs, bullet lists, *emphasis* and links to allowed hosts',
    )
    .option('--body-file <file>', 'read the message from a Markdown file')
    .addOption(
      new Option('--role <role...>', 'who gets it')
        .choices(ROLES as unknown as string[])
        .makeOptionMandatory(),
    )
    .action(
      run(
        async (
          client,
          globals,
          campaignId: string,
          options: Record<string, string | string[] | undefined>,
        ) => {
          const body =
            typeof options.bodyFile === 'string' ? readFileSync(options.bodyFile, 'utf8') : options.body;
          if (typeof body !== 'string') throw new UsageError('Give the message with --body or --body-file.');
          const created = await client.request<{ campaignId: string; alert: Alert }>(
            'POST',
            `/admin/campaigns/${encodeURIComponent(campaignId)}/alerts`,
            { subject: options.subject, body, roles: options.role },
          );
          if (globals.json) return print(JSON.stringify(created, null, 2));
          print(
            `Prepared alert ${created.alert.id} for ${created.alert.roles.join(', ')}. Preview it with \`esr alert preview ${campaignId} ${created.alert.id}\`; another approver sends it with \`esr alert approve ${campaignId} ${created.alert.id}\`.`,
          );
        },
      ),
    );

  alert
    .command('preview')
    .description('render the alert through SES as one recipient of a role would get it')
    .argument('<campaignId>', 'campaign id')
    .argument('<alertId>', 'alert id')
    .addOption(
      new Option('--role <role>', 'whose copy (default: its first role)').choices(
        ROLES as unknown as string[],
      ),
    )
    .option('--html', 'print the HTML part rather than the text part')
    .action(
      run(
        async (
          client,
          globals,
          campaignId: string,
          alertId: string,
          options: { role?: Role; html?: boolean },
        ) => {
          const preview = await client.request<{ subject: string; html: string; text: string; role: string }>(
            'GET',
            `/admin/campaigns/${encodeURIComponent(campaignId)}/alerts/${encodeURIComponent(alertId)}/preview${options.role ? `?role=${options.role}` : ''}`,
          );
          if (globals.json) return print(JSON.stringify(preview, null, 2));
          print(`Subject: ${preview.subject}\nTo: a ${preview.role}\n`);
          print(options.html ? preview.html : preview.text);
        },
      ),
    );

  alert
    .command('approve')
    .description('approve an alert another approver prepared: it is sent at once to its roles')
    .argument('<campaignId>', 'campaign id')
    .argument('<alertId>', 'alert id')
    .action(
      run(async (client, globals, campaignId: string, alertId: string) => {
        const approved = await client.request<ApprovedCampaignView & { alert: Alert; stepKey: string }>(
          'POST',
          `/admin/campaigns/${encodeURIComponent(campaignId)}/alerts/${encodeURIComponent(alertId)}/approve`,
          {},
        );
        if (globals.json) return print(JSON.stringify(approved, null, 2));
        const step = approved.steps.find((candidate) => candidate.key === approved.stepKey);
        print(
          `Approved alert ${approved.alert.id}: step ${approved.stepKey} goes to ${approved.alert.roles.join(', ')} at ${step?.sendAt ?? 'once'}. \`esr campaign show ${campaignId}\` shows its delivery counts.`,
        );
      }),
    );

  alert
    .command('withdraw')
    .alias('reject')
    .description('drop a draft alert')
    .argument('<campaignId>', 'campaign id')
    .argument('<alertId>', 'alert id')
    .action(
      run(async (client, globals, campaignId: string, alertId: string) => {
        const dropped = await client.request<{ alert: Alert }>(
          'POST',
          `/admin/campaigns/${encodeURIComponent(campaignId)}/alerts/${encodeURIComponent(alertId)}/withdraw`,
          {},
        );
        if (globals.json) return print(JSON.stringify(dropped, null, 2));
        print(`Alert ${dropped.alert.id} withdrawn: it will not be sent.`);
      }),
    );

  program
    .command('audit')
    .description('the audit log: who did what to which campaign, newest first')
    .option('--campaign <id>', 'one campaign only')
    .option('--limit <n>', 'at most this many entries (default 100)')
    .action(
      run(async (client, globals, options: { campaign?: string; limit?: string }) => {
        const query = new URLSearchParams({
          ...(options.campaign ? { campaignId: options.campaign } : {}),
          ...(options.limit ? { limit: options.limit } : {}),
        }).toString();
        const { entries } = await client.request<{ entries: AuditEntryView[] }>(
          'GET',
          `/admin/audit${query ? `?${query}` : ''}`,
        );
        if (globals.json) return print(JSON.stringify(entries, null, 2));
        if (entries.length === 0) return print('No audit entries.');
        print(
          table(
            ['AT', 'WHO', 'WHAT', 'CAMPAIGN', 'DETAIL'],
            entries.map((entry) => [
              entry.at,
              entry.actor,
              entry.action,
              entry.campaignId ?? '-',
              entry.detail ? JSON.stringify(entry.detail) : '',
            ]),
          ),
        );
      }),
    );

  program
    .command('timeline')
    .description("print a campaign's reminder timeline as a table")
    .argument('<id>', 'campaign id')
    .addOption(new Option('--role <role>', 'only the steps for this role').choices(ROLES))
    .action(
      run(async (client, globals, id: string, options: { role?: Role }) => {
        const shown = await client.request<Campaign>('GET', `/admin/campaigns/${encodeURIComponent(id)}`);
        const steps = options.role
          ? shown.steps.filter((step) => step.roles.includes(options.role as Role))
          : shown.steps;
        if (globals.json) return print(JSON.stringify(steps, null, 2));
        print(
          `Timeline of ${shown.name} (poll ${shown.pollDate})${options.role ? ` for ${options.role}` : ''}:`,
        );
        print(
          table(
            ['SEND AT', 'STEP', 'TITLE', 'ROLES', 'STATUS'],
            steps.map((step) => [step.sendAt, step.key, step.title, step.roles.join(','), step.status]),
          ),
        );
      }),
    );

  program
    .command('timetable')
    .description('print the statutory election timetable for an election type, nation and poll date')
    .addOption(new Option('--election <type>', 'election type').choices(ELECTION_TYPES).makeOptionMandatory())
    .addOption(
      new Option('--nation <nation>', "nation ('uk' for a UK general election)")
        .choices(TIMETABLE_NATIONS)
        .makeOptionMandatory(),
    )
    .requiredOption('--poll-date <date>', 'polling day, YYYY-MM-DD')
    .action(
      run(async (client, globals, options: { election: string; nation: string; pollDate: string }) => {
        const query = new URLSearchParams({
          election: options.election,
          nation: options.nation,
          pollDate: options.pollDate,
        });
        const timetable = await client.request<Timetable>('GET', `/timetable?${query}`);
        if (globals.json) return print(JSON.stringify(timetable, null, 2));
        print(`Timetable: ${timetable.election} election in ${timetable.nation}, poll ${timetable.pollDate}`);
        print(
          table(
            ['DATE', 'TIME', 'MILESTONE', 'WHAT'],
            timetable.milestones.map((m) => [
              m.date,
              m.endTime ? `${m.time}-${m.endTime}` : (m.time ?? '-'),
              m.key,
              m.label,
            ]),
          ),
        );
      }),
    );

  const admins = program
    .command('admins')
    .description("the admin console's allow-list: list, add (or change a role), remove");

  admins
    .command('list')
    .description('list admins and their roles (configured ones come from ESR_ADMINS or the context "admins")')
    .action(
      run(async (client, globals) => {
        const { admins: listed } = await client.request<{
          admins: { email: string; role: string; source: string }[];
        }>('GET', '/admin/admins');
        if (globals.json) return print(JSON.stringify(listed, null, 2));
        if (listed.length === 0)
          return print('No admins yet. Add one with `esr admins add <email> --role viewer`.');
        print(
          table(
            ['EMAIL', 'ROLE', 'SOURCE'],
            listed.map((a) => [a.email, a.role, a.source]),
          ),
        );
      }),
    );

  admins
    .command('add')
    .description('let an address sign in to the console with a role, or change its role')
    .argument('<email>', "the admin's email address")
    .addOption(
      new Option('--role <role>', 'viewer (reads), editor (drafts) or approver (approves, cancels, alerts)')
        .choices(['viewer', 'editor', 'approver'])
        .makeOptionMandatory(),
    )
    .action(
      run(async (client, globals, email: string, options: { role: string }) => {
        const added = await client.request<{ email: string; role: string }>(
          'PUT',
          `/admin/admins/${encodeURIComponent(email)}`,
          { role: options.role },
        );
        print(globals.json ? JSON.stringify(added, null, 2) : `${added.email} may sign in as ${added.role}.`);
      }),
    );

  admins
    .command('remove')
    .description('take an address off the allow-list (its sessions end at its next request)')
    .argument('<email>', "the admin's email address")
    .action(
      run(async (client, globals, email: string) => {
        const removed = await client.request<{ email: string }>(
          'DELETE',
          `/admin/admins/${encodeURIComponent(email)}`,
        );
        print(globals.json ? JSON.stringify(removed, null, 2) : `${removed.email} can no longer sign in.`);
      }),
    );

  const subscriber = program
    .command('subscriber')
    .description("one person's data: subject access (export) and erasure (UK GDPR arts 15 and 17)");

  subscriber
    .command('export')
    .description(
      'print, as JSON, everything held about an address: subscriptions with their history, delivery records, suppression',
    )
    .argument('<email>', 'the address (sent in the request body, never in a URL)')
    .action(
      run(async (client, _globals, email: string) => {
        const data = await client.request<SubjectData>('POST', '/admin/subscribers/export', { email });
        print(JSON.stringify(data, null, 2));
      }),
    );

  subscriber
    .command('erase')
    .description(
      'erase an address: its name and every item keyed by its hash; one marker with the hash only stays, so imports skip it',
    )
    .argument('<email>', 'the address (sent in the request body, never in a URL)')
    .action(
      run(async (client, globals, email: string) => {
        const answer = await client.request<{ erased: ErasureCounts }>('POST', '/admin/subscribers/erase', {
          email,
        });
        if (globals.json) return print(JSON.stringify(answer, null, 2));
        const { erased } = answer;
        print(
          `Erased: ${erased.subscriptions} subscription(s), ${erased.confirmationThrottles} confirmation record(s), ` +
            `${erased.deliveryRecords} delivery record(s), ${erased.callRecords} send record entr${erased.callRecords === 1 ? 'y' : 'ies'}, ` +
            `${erased.suppressions} suppression(s). A marker with the address hash only remains.`,
        );
      }),
    );

  program
    .command('import')
    .description(
      'invite staff from a CSV file (columns email, name (optional), role; a header row): a queued job, with progress. `esr import status <job>` shows a job',
    )
    .argument('<file>', 'the CSV file, or `status` to show a job')
    .argument('[job]', 'with `status`: the job id')
    .option('--campaign <id>', 'the campaign to invite them to')
    .option('--no-wait', 'print the job id and return at once')
    .action(
      run(
        async (
          client,
          globals,
          file: string,
          jobArg: string | undefined,
          options: { campaign?: string; wait: boolean },
        ) => {
          const pollMs = io.pollMs ?? 1000;
          let job: ImportJob;
          if (file === 'status') {
            if (!jobArg) throw new UsageError('Usage: esr import status <job>');
            job = await client.request<ImportJob>('GET', `/admin/imports/${encodeURIComponent(jobArg)}`);
            if (globals.json) return print(JSON.stringify(job, null, 2));
            print(importProgress(job));
            if (job.state === 'done' || job.state === 'stopped') print(importReport(job));
            return;
          }
          if (!options.campaign)
            throw new UsageError('Name the campaign: esr import <file.csv> --campaign <id>');
          let csv: string;
          try {
            csv = readFileSync(resolve(io.cwd, file), 'utf8');
          } catch {
            throw new UsageError(`Cannot read ${file}`);
          }
          job = await client.request<ImportJob>(
            'POST',
            `/admin/campaigns/${encodeURIComponent(options.campaign)}/imports`,
            {
              csv,
            },
          );
          if (!options.wait) {
            if (globals.json) return print(JSON.stringify(job, null, 2));
            print(
              `Import ${job.jobId} queued: ${job.total.toLocaleString('en-GB')} rows (${job.rejected} rejected as read).`,
            );
            return print(`Follow it with: esr import status ${job.jobId}`);
          }
          let lastLine = 0;
          while (job.state !== 'done' && job.state !== 'stopped') {
            await new Promise((resolve) => setTimeout(resolve, pollMs));
            job = await client.request<ImportJob>(
              'GET',
              `/admin/imports/${encodeURIComponent(job.jobId)}?lines=none`,
            );
            if (globals.json) continue;
            if (io.tty) io.stdout(`\r${importProgress(job)}\x1b[K`);
            else if (Date.now() - lastLine >= 5000 || job.state === 'done') {
              lastLine = Date.now();
              print(importProgress(job));
            }
          }
          if (io.tty && !globals.json) io.stdout('\n');
          job = await client.request<ImportJob>('GET', `/admin/imports/${encodeURIComponent(job.jobId)}`);
          if (globals.json) return print(JSON.stringify(job, null, 2));
          print(importProgress(job));
          print(importReport(job));
          if (job.state === 'stopped') exitCode = EXIT_API;
        },
      ),
    );

  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT_USAGE;
    }
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; everything else commander raises is a usage error.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr(`${explain(error, baseUrl)}\n`);
    exitCode = EXIT_API;
  }
  return exitCode;
};

const BAR_WIDTH = 24;
const count = (n: number) => n.toLocaleString('en-GB');

/** One line: a bar of rows done of total, the rate, the time left, and the counts so far. */
export const importProgress = (job: ImportJob): string => {
  const share = job.total > 0 ? job.done / job.total : 1;
  const filled = Math.round(share * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
  const rate = job.rowsPerSecond !== undefined ? `  ${job.rowsPerSecond} rows/s` : '';
  const left =
    job.secondsLeft !== undefined
      ? `  ${job.secondsLeft >= 120 ? `${Math.ceil(job.secondsLeft / 60)} min` : `${job.secondsLeft} s`} left`
      : '';
  return `${bar} ${count(job.done)}/${count(job.total)} rows${rate}${left}  invited ${count(job.invited)}, rejected ${count(job.rejected)}, skipped ${count(job.skipped)}  (${job.state})`;
};

const REPORT_LIMIT = 50;

/** What became of the rows not invited, by line (admins only: it may name addresses). */
export const importReport = (job: ImportJob): string => {
  const lines = job.lines ?? [];
  const head = `Import ${job.jobId} ${job.state}${job.stopReason ? ` (${job.stopReason})` : ''}: ${count(job.invited)} invited, ${count(job.rejected)} rejected, ${count(job.skipped)} skipped of ${count(job.total)} rows.`;
  if (lines.length === 0) return head;
  const shown = lines.slice(0, REPORT_LIMIT);
  return [
    head,
    table(
      ['LINE', 'REASON', 'EMAIL'],
      shown.map((line) => [String(line.line), line.reason, line.email ?? '']),
    ),
    ...(lines.length > shown.length
      ? [`… and ${count(lines.length - shown.length)} more: esr import status ${job.jobId} --json`]
      : []),
  ].join('\n');
};

/** The process entry (bin/esr.js). */
export const run = async (): Promise<void> => {
  process.exitCode = await main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    tty: process.stdout.isTTY === true,
  });
};
