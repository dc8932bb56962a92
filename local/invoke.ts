import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { useClock } from '../functions/lib/root/clock';
import { functionArn } from './aws-emulator';
import { createLocalClock } from './clock';
import { LOCAL_FUNCTIONS, type LocalFunctionName, loadHandler } from './functions';
import { lambdaContext } from './lambda';

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

let functionEnv: Record<string, string> | undefined;
try {
  functionEnv = JSON.parse(await readFile(join(resolve(dataDir), 'stack.json'), 'utf8')).functionEnvs[name];
  if (!functionEnv) throw new Error('not in stack.json');
} catch {
  console.error(`No running local stack found in ${dataDir}/stack.json. Start it first with "npm start".`);
  process.exit(1);
}
const event = JSON.parse(await readFile(resolve(eventFile), 'utf8'));

// Exactly the environment the running stack gives its functions (endpoints, table, queue, secret ARN).
Object.assign(process.env, functionEnv);

// And the running stack's clock, where the developer has moved it.
const keptClock = await readFile(join(resolve(dataDir), 'clock.json'), 'utf8').then(
  (text) => JSON.parse(text) as { now: string; setAt: number },
  () => undefined,
);
if (keptClock) {
  const clock = createLocalClock(true);
  clock.set(new Date(keptClock.now), keptClock.setAt);
  useClock(clock);
}

const handler = await loadHandler(name as LocalFunctionName);
const result = await handler(event, lambdaContext(name, 30_000));
console.log(JSON.stringify(result, null, 2));
console.error(`(invoked ${functionArn(name)} locally)`);
