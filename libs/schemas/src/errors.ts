import type { z } from 'zod';

/**
 * Turns a zod error into one line per problem, each naming the field path and what is wrong,
 * e.g. `viewer_count: Invalid input: expected number, received string`.
 *
 * @example
 * const result = helixStreamSchema.safeParse(record);
 * if (!result.success) console.log(describeIssues(result.error).join('; '));
 */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(record)';
    return `${path}: ${issue.message}`;
  });
}
