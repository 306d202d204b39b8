/** A statement as it appears in a resolved policy document. */
export interface IamStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/** Condition keys of one request, e.g. `{ 's3:prefix': 'raw/streams/' }`. */
export type RequestContext = Record<string, string>;

function list<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

function wildcardMatches(pattern: string, value: string, caseInsensitive = false): boolean {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, caseInsensitive ? 'i' : '').test(value);
}

function conditionsHold(statement: IamStatement, context: RequestContext): boolean {
  for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
    for (const [key, expected] of Object.entries(entries)) {
      const actual = context[key];
      if (actual === undefined) return false;
      const values = list(expected).map(String);
      const like = operator.startsWith('StringLike');
      if (!values.some((value) => (like ? wildcardMatches(value, actual) : value === actual))) return false;
    }
  }
  return true;
}

function applies(statement: IamStatement, action: string, resource: string, context: RequestContext): boolean {
  return (
    list(statement.Action).some((pattern) => wildcardMatches(pattern, action, true)) &&
    list(statement.Resource ?? []).some((pattern) => wildcardMatches(pattern, resource)) &&
    conditionsHold(statement, context)
  );
}

/**
 * Parses the statements of a policy document JSON string.
 *
 * @example
 * const statements = statementsOf(rolePolicy.inputs.policy);
 */
export function statementsOf(policyJson: string): IamStatement[] {
  const document = JSON.parse(policyJson) as { Statement: IamStatement | IamStatement[] };
  return list(document.Statement);
}

/**
 * Evaluates identity-policy statements the way IAM does for one request: an explicit deny
 * wins, otherwise any matching allow (actions case-insensitive, `*`/`?` wildcards,
 * `StringEquals`/`StringLike` conditions against the request context).
 *
 * @example
 * isAllowed(statements, 's3:PutObject', 'arn:aws:s3:::lake/raw/streams/dt=2026-11-29/a.parquet'); // true
 */
export function isAllowed(
  statements: IamStatement[],
  action: string,
  resource: string,
  context: RequestContext = {},
): boolean {
  const matching = statements.filter((statement) => applies(statement, action, resource, context));
  if (matching.some((statement) => statement.Effect === 'Deny')) return false;
  return matching.some((statement) => statement.Effect === 'Allow');
}

/**
 * True when a statement allows every action on every resource (`"*"` on `"*"`),
 * or a whole-service wildcard such as `s3:*` on `*`.
 *
 * @example
 * statementsOf(policy).some(isAdministrative); // false for a least-privilege role
 */
export function isAdministrative(statement: IamStatement): boolean {
  if (statement.Effect !== 'Allow') return false;
  const anyResource = list(statement.Resource ?? []).includes('*');
  return anyResource && list(statement.Action).some((action) => action === '*' || action.endsWith(':*'));
}
