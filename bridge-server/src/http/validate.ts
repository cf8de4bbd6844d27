import type { z } from 'zod';
import { HttpError } from '../errors.js';

/** Parse untrusted input with a zod schema; on failure a 400 naming every bad field. */
export function validate<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join('.') || '(body)';
    (fieldErrors[key] ??= []).push(issue.message);
  }
  const summary = Object.entries(fieldErrors)
    .map(([k, v]) => `${k}: ${v.join(', ')}`)
    .join('; ');
  throw HttpError.badRequest(`invalid request: ${summary}`, fieldErrors);
}
