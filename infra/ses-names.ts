import { createHash } from 'node:crypto';

/** SES template and configuration-set names: at most 64 characters of letters, digits, `_` and `-`. */
export const SES_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
/** Room kept for the part after the prefix (a template's own name, or `reminders`). */
export const MAX_SES_NAME_SUFFIX = 38;
const MAX_PREFIX = 64 - MAX_SES_NAME_SUFFIX;

/**
 * The prefix of this stack's SES template and configuration-set names, so two stacks in one account
 * don't collide: `<stackName>-` while that fits in 26 characters (the default stack's names are
 * unchanged), otherwise the stack name cut short with 8 hex characters of its SHA-256, so that a
 * long name like `ElectionSecurityReminders-Staging` still deploys and stays distinct from a
 * sibling such as `…-Staging2`. Hashing rather than refusing: stack names are often set by CI
 * conventions the operator does not choose. The sender takes it as SES_TEMPLATE_PREFIX; the local
 * stack uses no prefix (one stack per emulator).
 */
export const sesNamePrefix = (stackName: string): string => {
  const plain = `${stackName}-`;
  if (plain.length <= MAX_PREFIX && SES_NAME.test(stackName)) return plain;
  const hash = createHash('sha256').update(stackName).digest('hex').slice(0, 8);
  const kept = stackName.replace(/[^a-zA-Z0-9_-]/g, '').slice(0, MAX_PREFIX - hash.length - 2);
  return `${kept}-${hash}-`;
};

/** A full SES name, refused at synth (naming it and the limit) if SES would refuse it at deploy. */
export const sesName = (prefix: string, name: string): string => {
  if (name.length > MAX_SES_NAME_SUFFIX || !SES_NAME.test(`${prefix}${name}`)) {
    throw new Error(
      `SES name ${JSON.stringify(name)}: template names must be at most ${MAX_SES_NAME_SUFFIX} characters of letters, digits, '_' and '-' (SES allows 64 with the stack's ${prefix.length}-character prefix)`,
    );
  }
  return `${prefix}${name}`;
};
