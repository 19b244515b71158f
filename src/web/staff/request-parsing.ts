import type { z } from 'zod';
import { errors } from '../../errors';

/** Zod's issues as one sentence per field, saying what to fix. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const field = issue.path.join('.') || 'the request';
    return `${field}: ${issue.message}`;
  });
}

/** Parses input or refuses the request with a 400 page listing what to fix. */
export function parseOrRefuse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw errors.badRequest(describeIssues(parsed.error).join(' '));
  return parsed.data;
}
