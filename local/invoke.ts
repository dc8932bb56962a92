import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { functionArn } from './aws-emulator';
import { LOCAL_FUNCTIONS, type LocalFunctionName, loadHandler } from './functions';
import { lambdaContext } from './lambda';
import { LOCAL_TABLE_NAME } from './stack';

/**
 * `npm run invoke -- <function> <event.json>`: runs one Lambda handler in this process against the
 * running local stack (`npm start`), with a sample event from events/.
 */
const program = new Command('npm run invoke --')
  .argument('<function>', `one of: ${Object.keys(LOCAL_FUNCTIONS).join(', ')}`)
  .argument('<event>', 'a JSON event file, e.g. events/api-health.json')
  .option('--data-dir <dir>', 'the local stack data folder', '.local')
  .parse();

const [name, eventFile] = program.args as [string, string];
const { dataDir } = program.opts<{ dataDir: string }>();
if (!(name in LOCAL_FUNCTIONS)) {
  console.error(`Unknown function "${name}". Choose one of: ${Object.keys(LOCAL_FUNCTIONS).join(', ')}.`);
  process.exit(2);
}

let stack: { apiUrl: string; dynamodb: string; ses: string; aws: string };
try {
  stack = JSON.parse(await readFile(join(resolve(dataDir), 'stack.json'), 'utf8'));
} catch {
  console.error(`No running local stack found in ${dataDir}/stack.json. Start it first with "npm start".`);
  process.exit(1);
}
const event = JSON.parse(await readFile(resolve(eventFile), 'utf8'));

Object.assign(process.env, {
  AWS_REGION: process.env.AWS_REGION ?? 'eu-west-2',
  AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
  AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
  AWS_ENDPOINT_URL_DYNAMODB: stack.dynamodb,
  AWS_ENDPOINT_URL_SESV2: stack.ses,
  AWS_ENDPOINT_URL_SCHEDULER: stack.aws,
  AWS_ENDPOINT_URL_SQS: stack.aws,
  TABLE_NAME: process.env.TABLE_NAME ?? LOCAL_TABLE_NAME,
  PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? stack.apiUrl,
});

const handler = await loadHandler(name as LocalFunctionName);
const result = await handler(event, lambdaContext(name, 30_000));
console.log(JSON.stringify(result, null, 2));
console.error(`(invoked ${functionArn(name)} locally)`);
