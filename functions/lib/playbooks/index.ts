import { type Playbook, playbookSchema } from './schema';
import { ukElectionSecurity } from './uk-election-security';

export type { Playbook, PlaybookStep, StepOffset } from './schema';
export { playbookSchema, playbookStepSchema } from './schema';

export const DEFAULT_PLAYBOOK_ID = 'uk-election-security';

// Parsed at module load so a bad edit to shipped data fails at start-up and in every test run.
const SHIPPED: Playbook[] = [ukElectionSecurity].map((playbook) => playbookSchema.parse(playbook));

export const PLAYBOOKS: Readonly<Record<string, Playbook>> = Object.freeze(
  Object.fromEntries(SHIPPED.map((playbook) => [playbook.id, playbook])),
);

/** The shipped playbook with that id, or undefined (callers decide whether that is a 400 or a bug). */
export const getPlaybook = (id: string): Playbook | undefined =>
  Object.hasOwn(PLAYBOOKS, id) ? PLAYBOOKS[id] : undefined;
