import { iamVocabularyReport, type MockedProgram, runMockedProgram } from '@twitch-pipeline/infra-components/testing';
import { beforeAll, describe, expect, it } from 'vitest';

// IAM stores a misspelt or retired action or condition key without a word; the request it was
// meant to allow or deny is then decided without it. Every optional resource is on.
let program: MockedProgram;

beforeAll(async () => {
  program = await runMockedProgram(
    { project: 'twitch-pipeline-bootstrap', stack: 'prod', config: { customerManagedKey: 'true', keyDeletionWindowDays: '30' } },
    () => import('../index'),
  );
});

describe('bootstrap stack: IAM vocabulary', () => {
  it('names only actions and condition keys AWS defines, in every policy it writes', async () => {
    // act
    const { documents, findings } = await iamVocabularyReport(program);
    // assess
    expect(findings).toEqual([]);
    expect(documents).toEqual(['aws:s3/bucketPolicy:BucketPolicy access-logs policy', 'aws:s3/bucketPolicy:BucketPolicy pulumi-state policy']);
  });
});
