import type { MockedProgram } from './mocks';

/**
 * How AWS counts a value against its limit: characters, UTF-8 bytes, the characters of a JSON
 * document without its whitespace (IAM's policy quotas), or the UTF-8 bytes of every name and value
 * of a map together (Lambda's environment).
 */
export type LimitMeasure = 'characters' | 'bytes' | 'non-whitespace characters' | 'bytes of names and values';

/** One documented limit of an AWS API field, and the Pulumi input that sets it. */
export interface AwsFieldLimit {
  /** The Pulumi resource type whose input carries the field. */
  type: string;
  /** The input's path; `[]` stands for every element of a list. */
  input: string;
  /** The AWS API field, as its API reference or quota page names it. */
  field: string;
  max: number;
  measure: LimitMeasure;
  /** The characters the field accepts, when AWS restricts them. */
  allowed?: RegExp;
  /** An input naming the resource whose values AWS adds up against `max` (a role's inline policies). */
  summedBy?: string;
}

const GLUE_SINGLE_LINE = /^[\u0020-\uD7FF\uE000-\uFFFD\uD800-\uDFFF\t]*$/;
const IAM_POLICY_CHARACTERS = /^[\t\n\r\u0020-\u00FF]+$/;

/**
 * The limits of every field the stacks set that AWS checks only at deploy, each from the API
 * reference or quota page of its service. Names the stack-name rules already fit (Lambda
 * functions, queues, schedules, S3 buckets) are left to them.
 */
export const AWS_FIELD_LIMITS: readonly AwsFieldLimit[] = [
  { type: 'aws:lambda/function:Function', input: 'description', field: 'Lambda CreateFunction Description', max: 256, measure: 'characters' },
  // Lambda quotas: "Environment variables: 4 KB, for all environment variables associated with the function, in aggregate".
  { type: 'aws:lambda/function:Function', input: 'environment.variables', field: 'Lambda CreateFunction Environment.Variables', max: 4096, measure: 'bytes of names and values' },
  { type: 'aws:iam/role:Role', input: 'description', field: 'IAM CreateRole Description', max: 1000, measure: 'characters' },
  // IAM quotas: a role trust policy, whitespace not counted (the API field itself takes 131,072).
  { type: 'aws:iam/role:Role', input: 'assumeRolePolicy', field: 'IAM CreateRole AssumeRolePolicyDocument', max: 2048, measure: 'non-whitespace characters', allowed: IAM_POLICY_CHARACTERS },
  // IAM quotas: a role's inline policies together, whitespace not counted.
  { type: 'aws:iam/rolePolicy:RolePolicy', input: 'policy', field: 'IAM PutRolePolicy PolicyDocument (all inline policies of a role)', max: 10240, measure: 'non-whitespace characters', allowed: IAM_POLICY_CHARACTERS, summedBy: 'role' },
  { type: 'aws:kms/alias:Alias', input: 'name', field: 'KMS CreateAlias AliasName', max: 256, measure: 'characters', allowed: /^[A-Za-z0-9/_-]+$/ },
  { type: 'aws:glue/catalogDatabase:CatalogDatabase', input: 'name', field: 'Glue CreateDatabase DatabaseInput.Name', max: 255, measure: 'characters', allowed: GLUE_SINGLE_LINE },
  { type: 'aws:glue/catalogTable:CatalogTable', input: 'name', field: 'Glue CreateTable TableInput.Name', max: 255, measure: 'characters', allowed: GLUE_SINGLE_LINE },
  { type: 'aws:glue/catalogTable:CatalogTable', input: 'description', field: 'Glue CreateTable TableInput.Description', max: 2048, measure: 'bytes' },
  { type: 'aws:glue/catalogTable:CatalogTable', input: 'storageDescriptor.columns[].comment', field: 'Glue Column.Comment', max: 255, measure: 'characters', allowed: GLUE_SINGLE_LINE },
  { type: 'aws:glue/catalogTable:CatalogTable', input: 'partitionKeys[].comment', field: 'Glue Column.Comment (partition key)', max: 255, measure: 'characters', allowed: GLUE_SINGLE_LINE },
  { type: 'aws:glue/crawler:Crawler', input: 'description', field: 'Glue CreateCrawler Description', max: 2048, measure: 'characters', allowed: /^[\u0020-\uD7FF\uE000-\uFFFD\uD800-\uDFFF\r\n\t]*$/ },
  { type: 'aws:athena/workgroup:Workgroup', input: 'name', field: 'Athena CreateWorkGroup Name', max: 128, measure: 'characters', allowed: /^[a-zA-Z0-9._-]+$/ },
  { type: 'aws:athena/namedQuery:NamedQuery', input: 'name', field: 'Athena CreateNamedQuery Name', max: 128, measure: 'characters' },
  { type: 'aws:athena/namedQuery:NamedQuery', input: 'description', field: 'Athena CreateNamedQuery Description', max: 1024, measure: 'characters' },
  { type: 'aws:athena/namedQuery:NamedQuery', input: 'query', field: 'Athena CreateNamedQuery QueryString', max: 262144, measure: 'characters' },
  { type: 'aws:cloudwatch/logGroup:LogGroup', input: 'name', field: 'CloudWatch Logs CreateLogGroup logGroupName', max: 512, measure: 'characters', allowed: /^[.\-_/#A-Za-z0-9]+$/ },
  { type: 'aws:cloudwatch/metricAlarm:MetricAlarm', input: 'name', field: 'CloudWatch PutMetricAlarm AlarmName', max: 255, measure: 'characters', allowed: /^[ -~\u0080-\u{10FFFF}]+$/u },
  { type: 'aws:cloudwatch/metricAlarm:MetricAlarm', input: 'alarmDescription', field: 'CloudWatch PutMetricAlarm AlarmDescription', max: 1024, measure: 'characters' },
  { type: 'aws:cloudwatch/dashboard:Dashboard', input: 'dashboardName', field: 'CloudWatch PutDashboard DashboardName', max: 255, measure: 'characters', allowed: /^[A-Za-z0-9_-]+$/ },
  { type: 'aws:sns/topic:Topic', input: 'name', field: 'SNS CreateTopic Name', max: 256, measure: 'characters', allowed: /^[A-Za-z0-9_-]+$/ },
  // Only these characters let the state machine log to CloudWatch Logs, which the stack does.
  { type: 'aws:sfn/stateMachine:StateMachine', input: 'name', field: 'Step Functions CreateStateMachine name', max: 80, measure: 'characters', allowed: /^[A-Za-z0-9_-]+$/ },
  { type: 'aws:scheduler/schedule:Schedule', input: 'description', field: 'EventBridge Scheduler CreateSchedule Description', max: 512, measure: 'characters' },
  // SSM reserves 1,037 of the 2,048 characters its reference gives Name for the ARN around it.
  { type: 'aws:ssm/parameter:Parameter', input: 'name', field: 'SSM PutParameter Name', max: 2048 - 1037, measure: 'characters', allowed: /^[a-zA-Z0-9_.\-/]+$/ },
];

function valuesAt(value: unknown, path: string[]): unknown[] {
  if (value === undefined || value === null) return [];
  const [step, ...rest] = path;
  if (step === undefined) return [value];
  if (step.endsWith('[]')) {
    const list = (value as Record<string, unknown>)[step.slice(0, -2)];
    return Array.isArray(list) ? list.flatMap((element) => valuesAt(element, rest)) : [];
  }
  return valuesAt((value as Record<string, unknown>)[step], rest);
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

function sizeOf(value: unknown, measure: LimitMeasure): number {
  if (measure === 'bytes of names and values') {
    return Object.entries(value as Record<string, unknown>).reduce((sum, [name, entry]) => sum + bytes(name) + bytes(String(entry)), 0);
  }
  const text = String(value);
  if (measure === 'bytes') return bytes(text);
  if (measure === 'non-whitespace characters') return [...text.replace(/\s/g, '')].length;
  return [...text].length;
}

/** What {@link awsLimitReport} found. */
export interface AwsLimitReport {
  /** The AWS API fields the program set at least once, sorted: a field missing here was not checked. */
  checked: string[];
  /** One line per value over its limit or holding a character its field refuses; empty when all fit. */
  findings: string[];
}

/**
 * Measures every value the program gives a field of {@link AWS_FIELD_LIMITS} (values one resource
 * adds up with others, such as a role's inline policies, together) against the field's limit and
 * characters.
 *
 * @example
 * const { checked, findings } = awsLimitReport(program);
 * expect(findings).toEqual([]);
 * expect(checked).toContain('Lambda CreateFunction Description');
 */
export function awsLimitReport(program: MockedProgram, limits: readonly AwsFieldLimit[] = AWS_FIELD_LIMITS): AwsLimitReport {
  const checked = new Set<string>();
  const findings: string[] = [];
  const measured = (where: string, limit: AwsFieldLimit, values: unknown[]) => {
    const size = values.reduce((sum: number, value) => sum + sizeOf(value, limit.measure), 0);
    if (size > limit.max) findings.push(`${where}: ${limit.field} is ${size} ${limit.measure}, over AWS's ${limit.max}`);
    for (const value of values.filter((candidate) => limit.allowed && !limit.allowed.test(String(candidate)))) {
      findings.push(`${where}: ${limit.field} "${String(value)}" holds a character AWS refuses there`);
    }
  };
  for (const limit of limits) {
    const sums = new Map<string, { owners: string[]; values: unknown[] }>();
    for (const resource of program.ofType(limit.type)) {
      const values = valuesAt(resource.inputs, limit.input.split('.'));
      if (values.length > 0) checked.add(limit.field);
      if (!limit.summedBy) {
        for (const [index, value] of values.entries()) measured(values.length > 1 ? `${resource.name} ${limit.input} #${index + 1}` : resource.name, limit, [value]);
        continue;
      }
      const key = `${limit.summedBy} ${String(resource.inputs[limit.summedBy])}`;
      const sum = sums.get(key) ?? { owners: [], values: [] };
      sums.set(key, { owners: [...sum.owners, resource.name], values: [...sum.values, ...values] });
    }
    for (const [key, { owners, values }] of sums) measured(`${key} (${owners.join(', ')})`, limit, values);
  }
  return { checked: [...checked].sort(), findings };
}
