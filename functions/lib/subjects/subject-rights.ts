import { z } from 'zod';
import { validate } from '../http/validate';
import { logger } from '../logger';
import { signupSchema } from '../subscriptions/schema';
import type { ErasureCounts, SubjectData } from './model';
import type { SubjectRightsDeps } from './ports';

/** The request of an admin acting on a subject's behalf: the address in a body, never in a URL. */
export const subjectRequestSchema = z.object({ email: signupSchema.shape.email });

/** Who asked: an admin's email or IAM principal, or `self-service` for the person themselves. */
export type Actor = string;

const hashOf = async (deps: SubjectRightsDeps, input: unknown) => {
  const { email } = validate(subjectRequestSchema, input);
  return (await deps.hashEmail())(email);
};

const audit = async (
  deps: SubjectRightsDeps,
  actor: Actor,
  action: string,
  detail: Record<string, unknown>,
) => {
  const at = deps.clock.now().toISOString();
  // Ids and counts only: the address and its hash stay out of logs and the audit trail.
  logger.info('Subject rights request', { action, actor, ...detail });
  await deps.audit?.record({ at, actor, action, detail });
};

const summary = (data: SubjectData) => ({
  subscriptions: data.subscriptions.length,
  deliveries: data.deliveries.length,
  suppressed: data.suppression !== undefined,
  erased: data.erasure !== undefined,
});

/**
 * Subject access (UK GDPR art. 15): everything held about the address, as data. Input `{email}`
 * (validated here); 400 naming `email` for a bad one.
 */
export const exportSubjectData = async (
  deps: SubjectRightsDeps,
  input: unknown,
  actor: Actor,
): Promise<SubjectData> => exportByHash(deps, await hashOf(deps, input), actor);

export const exportByHash = async (
  deps: SubjectRightsDeps,
  emailHmac: string,
  actor: Actor,
): Promise<SubjectData> => {
  const data = await deps.store.collect(emailHmac);
  await audit(deps, actor, 'subscriber.export', summary(data));
  return data;
};

/**
 * Erasure (UK GDPR art. 17): removes the address, the name and every item keyed by its hash, and
 * keeps one marker holding the hash only, so that an import never invites the address again.
 */
export const eraseSubject = async (
  deps: SubjectRightsDeps,
  input: unknown,
  actor: Actor,
): Promise<ErasureCounts> => eraseByHash(deps, await hashOf(deps, input), actor);

export const eraseByHash = async (
  deps: SubjectRightsDeps,
  emailHmac: string,
  actor: Actor,
): Promise<ErasureCounts> => {
  const erased = await deps.store.erase(emailHmac, deps.clock.now());
  await audit(deps, actor, 'subscriber.erase', { ...erased });
  return erased;
};
