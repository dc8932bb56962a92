import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { startLocalStack } from './stack';

/**
 * `npm start`: the whole service in one process, on loopback. Ports come from PORT, DYNAMODB_PORT,
 * SES_PORT and LOCAL_AWS_PORT; `--in-memory` keeps nothing on disk.
 */
const program = new Command('npm start --')
  .description(
    'Run election-security-reminders locally: DynamoDB, SES v2, Scheduler and SQS stand-ins, the API.',
  )
  .option('--in-memory', 'keep nothing: DynamoDB data lives in memory only', false)
  .option('--data-dir <dir>', 'where local data and the admin token are kept', '.local')
  .parse();

const options = program.opts<{ inMemory: boolean; dataDir: string }>();
const port = (name: string, fallback: number) => {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    console.error(`${name} must be a port number from 0 to 65535, not "${value}".`);
    process.exit(2);
  }
  return parsed;
};

const stack = await startLocalStack({
  port: port('PORT', 3000),
  dynamodbPort: port('DYNAMODB_PORT', 8000),
  sesPort: port('SES_PORT', 8005),
  awsPort: port('LOCAL_AWS_PORT', 8010),
  dataDir: options.dataDir,
  inMemory: options.inMemory,
}).catch((error: NodeJS.ErrnoException) => {
  const hint =
    error.code === 'EADDRINUSE'
      ? ' (a port is in use: set PORT, DYNAMODB_PORT, SES_PORT or LOCAL_AWS_PORT)'
      : '';
  console.error(`Could not start the local stack: ${error.message}${hint}`);
  process.exit(1);
});

// Lets `npm run invoke` give a handler exactly the environment the running stack's functions have.
await writeFile(
  join(resolve(options.dataDir), 'stack.json'),
  JSON.stringify({ apiUrl: stack.apiUrl, functionEnvs: stack.functionEnvs }),
);

const tokenNote = {
  env: 'from ESR_ADMIN_TOKEN',
  file: `kept in ${options.dataDir}/admin-token`,
  generated: `generated and kept in ${options.dataDir}/admin-token`,
  option: 'given',
}[stack.adminTokenSource];
// How many may sign in to the console from ESR_ADMINS (never who: this goes to a terminal and its logs).
const configuredAdmins = (stack.functionEnvs.console.ESR_ADMINS ?? '')
  .split(',')
  .filter((entry) => entry.trim()).length;
const consoleNote = configuredAdmins
  ? `${configuredAdmins} admin${configuredAdmins === 1 ? '' : 's'} from ESR_ADMINS; more with npx esr admins add`
  : 'set ESR_ADMINS=you@example.org:approver, or npx esr admins add';
console.log(`
election-security-reminders is running locally${options.inMemory ? ' (in memory: nothing is kept)' : ''}

  HTTP API           ${stack.apiUrl}           (GET /health, GET /campaigns)
  DynamoDB           ${stack.dynamodbEndpoint}
  SES v2 + inbox     ${stack.sesEndpoint}           (open in a browser to see every email sent)
  Scheduler + SQS    ${stack.awsEndpoint}           (local stand-ins)
  Local clock        ${stack.apiUrl}/local/clock   (POST {"now":"2027-05-06T09:00:00Z"})
  Admin console      ${stack.apiUrl}/console       (${consoleNote})
  Templates loaded   ${stack.templatesLoaded}

  Admin token (${tokenNote}):
    ${stack.adminToken}
  e.g. curl -H "Authorization: Bearer $(cat ${options.dataDir}/admin-token)" ${stack.apiUrl}/admin/campaigns

Press Ctrl-C to stop.
`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
