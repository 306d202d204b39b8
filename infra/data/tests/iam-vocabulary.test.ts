import { iamVocabularyReport, type MockedProgram } from '@twitch-pipeline/infra-components/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDataProgram } from './support/data-program';

// IAM stores a misspelt or retired action or condition key without a word; the request it was
// meant to allow or deny is then decided without it. The crawler schedule, optional, is on.
let program: MockedProgram;

beforeAll(async () => {
  program = await runDataProgram({ config: { crawlerSchedule: 'cron(15 3 * * ? *)' } });
});

describe('data stack: IAM vocabulary', () => {
  it('names only actions and condition keys AWS defines, in every policy it writes', async () => {
    // act
    const { documents, findings } = await iamVocabularyReport(program);
    // assess
    expect(findings).toEqual([]);
    expect(documents).toEqual([
      'aws:iam/role:Role crawler-gold assumeRolePolicy',
      'aws:iam/role:Role crawler-raw assumeRolePolicy',
      'aws:iam/role:Role crawler-silver assumeRolePolicy',
      'aws:iam/role:Role dynamodb-connector assumeRolePolicy',
      'aws:iam/rolePolicy:RolePolicy crawler-gold policy',
      'aws:iam/rolePolicy:RolePolicy crawler-raw policy',
      'aws:iam/rolePolicy:RolePolicy crawler-silver policy',
      'aws:iam/rolePolicy:RolePolicy dynamodb-connector policy',
      'aws:s3/bucketPolicy:BucketPolicy access-logs policy',
      'aws:s3/bucketPolicy:BucketPolicy athena-results policy',
      'aws:s3/bucketPolicy:BucketPolicy lake policy',
    ]);
  });
});
