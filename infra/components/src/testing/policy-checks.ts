import { readFileSync } from 'node:fs';
import { type IamStatement, isAdministrative, statementsOf } from './iam';
import type { MockedProgram, RecordedResource } from './mocks';

const BUCKET = 'aws:s3/bucket:Bucket';
const BUCKET_LOGGING = 'aws:s3/bucketLogging:BucketLogging';

interface EncryptionRule {
  applyServerSideEncryptionByDefault?: { sseAlgorithm?: string };
}

function attached(program: MockedProgram, type: string, bucketId: string) {
  return program.ofType(type).filter((resource) => resource.inputs.bucket === bucketId);
}

/**
 * Lists every bucket that is not encrypted by default, not fully blocked from public
 * access, or whose policy does not deny requests made without TLS. Empty when all are safe.
 *
 * @example
 * expect(bucketFindings(program)).toEqual([]);
 */
export function bucketFindings(program: MockedProgram): string[] {
  const findings: string[] = [];
  for (const bucket of program.ofType(BUCKET)) {
    const encryption = attached(program, 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration', bucket.id);
    const algorithms = encryption.flatMap((config) =>
      (config.inputs.rules as EncryptionRule[] | undefined)?.map((rule) => rule.applyServerSideEncryptionByDefault?.sseAlgorithm) ?? [],
    );
    if (!algorithms.some((algorithm) => algorithm === 'AES256' || algorithm === 'aws:kms')) {
      findings.push(`${bucket.name}: no default encryption`);
    }
    const blocks = attached(program, 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', bucket.id);
    const fullyBlocked = blocks.some(
      ({ inputs }) => inputs.blockPublicAcls && inputs.blockPublicPolicy && inputs.ignorePublicAcls && inputs.restrictPublicBuckets,
    );
    if (!fullyBlocked) findings.push(`${bucket.name}: public access not fully blocked`);
    const policies = attached(program, 'aws:s3/bucketPolicy:BucketPolicy', bucket.id);
    const tlsOnly = policies.some(({ inputs }) =>
      statementsOf(inputs.policy).some(
        (statement) =>
          statement.Effect === 'Deny' &&
          [statement.Action].flat().includes('s3:*') &&
          String(statement.Condition?.Bool?.['aws:SecureTransport']) === 'false' &&
          [statement.Resource].flat().includes(`arn:aws:s3:::${bucket.id}/*`),
      ),
    );
    if (!tlsOnly) findings.push(`${bucket.name}: bucket policy does not enforce TLS`);
  }
  return findings;
}

/** The stack's access-log bucket, by logical name, and the account the logs must come from. */
export interface AccessLogExpectation {
  logBucket: string;
  account: string;
}

const LOG_SERVICE = 'logging.s3.amazonaws.com';

function logBucketFindings(program: MockedProgram, log: RecordedResource, account: string, loggedArns: string[]): string[] {
  const findings: string[] = [];
  if (attached(program, BUCKET_LOGGING, log.id).length > 0) findings.push(`${log.name}: logs its own requests (it would log its deliveries without end)`);
  const encryption = attached(program, 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration', log.id);
  const algorithms = encryption.flatMap((config) =>
    (config.inputs.rules as EncryptionRule[] | undefined)?.map((rule) => rule.applyServerSideEncryptionByDefault?.sseAlgorithm) ?? [],
  );
  if (algorithms.length === 0 || algorithms.some((algorithm) => algorithm !== 'AES256')) {
    findings.push(`${log.name}: not on SSE-S3, the encryption server access logging delivers to with no key grant`);
  }
  const allows = attached(program, 'aws:s3/bucketPolicy:BucketPolicy', log.id)
    .flatMap(({ inputs }) => statementsOf(inputs.policy))
    .filter((statement) => statement.Effect === 'Allow');
  const delivery = allows.filter((statement) => JSON.stringify(statement.Principal) === JSON.stringify({ Service: LOG_SERVICE }));
  for (const statement of allows.filter((candidate) => !delivery.includes(candidate))) {
    findings.push(`${log.name}: policy admits another principal than ${LOG_SERVICE}: ${JSON.stringify(statement.Principal)}`);
  }
  if (delivery.length === 0) findings.push(`${log.name}: policy does not admit ${LOG_SERVICE}`);
  for (const statement of delivery) {
    const actions = [statement.Action].flat();
    const resources = [statement.Resource ?? []].flat();
    const sourceArns = [statement.Condition?.ArnLike?.['aws:SourceArn'] ?? []].flat().map(String).sort();
    if (actions.length !== 1 || actions[0] !== 's3:PutObject') findings.push(`${log.name}: log delivery may do ${actions.join(', ')}, not s3:PutObject alone`);
    if (resources.length !== 1 || resources[0] !== `arn:aws:s3:::${log.id}/*`) findings.push(`${log.name}: log delivery reaches ${resources.join(', ')}`);
    if (statement.Condition?.StringEquals?.['aws:SourceAccount'] !== account) findings.push(`${log.name}: log delivery not limited to account ${account} (aws:SourceAccount)`);
    if (JSON.stringify(sourceArns) !== JSON.stringify([...loggedArns].sort())) {
      findings.push(`${log.name}: log delivery admits the buckets ${JSON.stringify(sourceArns)} (aws:SourceArn), not the logged ones ${JSON.stringify(loggedArns)}`);
    }
  }
  return findings;
}

/**
 * Lists every bucket, other than the stack's access-log bucket, whose S3 server access logs do not
 * go to that bucket under a prefix of its own, and every way the log bucket is unfit for them:
 * logged itself, not on SSE-S3, or a policy that admits anyone but `logging.s3.amazonaws.com`
 * writing objects for the logged buckets of the account. Empty when all are right.
 *
 * @example
 * expect(accessLogFindings(program, { logBucket: 'access-logs', account: '123456789012' })).toEqual([]);
 */
export function accessLogFindings(program: MockedProgram, expected: AccessLogExpectation): string[] {
  const logs = program.ofType(BUCKET).filter((bucket) => bucket.name === expected.logBucket);
  if (logs.length !== 1) return [`expected one access-log bucket ${expected.logBucket}, found ${logs.length}`];
  const log = logs[0]!;
  const findings: string[] = [];
  const prefixes: string[] = [];
  const logged = program.ofType(BUCKET).filter((bucket) => bucket !== log);
  for (const bucket of logged) {
    const logging = attached(program, BUCKET_LOGGING, bucket.id).filter(({ inputs }) => inputs.targetBucket === log.id);
    const prefix = logging[0]?.inputs.targetPrefix;
    if (logging.length !== 1 || typeof prefix !== 'string' || !prefix.endsWith('/')) {
      findings.push(`${bucket.name}: no server access logs to ${log.name} under a prefix of its own`);
    } else if (prefixes.includes(prefix)) {
      findings.push(`${bucket.name}: shares the access-log prefix ${prefix} with another bucket`);
    } else {
      prefixes.push(prefix);
    }
  }
  return [...findings, ...logBucketFindings(program, log, expected.account, logged.map((bucket) => `arn:aws:s3:::${bucket.id}`))];
}

/**
 * Lists every SQS queue without server-side encryption (SQS-managed or KMS).
 *
 * @example
 * expect(queueFindings(program)).toEqual([]);
 */
export function queueFindings(program: MockedProgram): string[] {
  return program
    .ofType('aws:sqs/queue:Queue')
    .filter(({ inputs }) => inputs.sqsManagedSseEnabled !== true && !inputs.kmsMasterKeyId)
    .map((queue) => `${queue.name}: not encrypted`);
}

/**
 * Every identity-policy statement of the program (inline role policies and managed
 * policies), labelled with the resource that carries it.
 *
 * @example
 * const all = identityStatements(program);
 */
function identityStatements(program: MockedProgram): { owner: string; statement: IamStatement }[] {
  const documents = [
    ...program.ofType('aws:iam/rolePolicy:RolePolicy'),
    ...program.ofType('aws:iam/policy:Policy'),
  ].map((resource) => ({ owner: resource.name, policy: String(resource.inputs.policy) }));
  return documents.flatMap(({ owner, policy }) => statementsOf(policy).map((statement) => ({ owner, statement })));
}

/**
 * Statements allowing `*` (or a whole service) on every resource. Empty for least privilege.
 *
 * @example
 * expect(administrativeFindings(program)).toEqual([]);
 */
export function administrativeFindings(program: MockedProgram): string[] {
  return identityStatements(program)
    .filter(({ statement }) => isAdministrative(statement))
    .map(({ owner, statement }) => `${owner}: ${JSON.stringify(statement)}`);
}

/**
 * Project config keys a `Pulumi.<stack>.yaml` sets, without the project prefix.
 *
 * @example
 * stackFileKeys('Pulumi.dev.yaml', 'twitch-pipeline-data'); // ['lakeRawInfrequentAccessDays', ...]
 */
export function stackFileKeys(file: string, project: string): string[] {
  const pattern = new RegExp(`^\\s+${project}:([A-Za-z0-9]+):`, 'gm');
  return [...readFileSync(file, 'utf8').matchAll(pattern)].map((match) => match[1]!).sort();
}
