import { readFileSync } from 'node:fs';
import { type IamStatement, isAdministrative, statementsOf } from './iam';
import type { MockedProgram } from './mocks';

const BUCKET = 'aws:s3/bucket:Bucket';

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
