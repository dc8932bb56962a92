import type { z } from 'zod';
import { InvalidEventError } from './errors';

const issuesOf = (error: z.ZodError) =>
  error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(event)',
    message: issue.message,
  }));

/**
 * The one way a non-HTTP event (a schedule's Input, an SES event, an SQS record's body) enters the
 * core: validated by its zod schema, or an InvalidEventError naming each bad field (never its value).
 */
export const parseEvent = <S extends z.ZodType>(schema: S, event: unknown, what = 'event'): z.infer<S> => {
  const result = schema.safeParse(event);
  if (!result.success) throw new InvalidEventError(what, issuesOf(result.error));
  return result.data;
};

/** An SQS record's body: JSON, then its schema. Malformed JSON is an InvalidEventError too. */
export const parseJsonEvent = <S extends z.ZodType>(
  schema: S,
  body: string,
  what = 'message',
): z.infer<S> => {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new InvalidEventError(what, [{ path: '(body)', message: 'not valid JSON' }]);
  }
  return parseEvent(schema, value, what);
};
