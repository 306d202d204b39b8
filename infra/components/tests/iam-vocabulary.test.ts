import { describe, expect, it } from 'vitest';
import { iamVocabularyReport } from '../src/testing/iam-vocabulary';
import type { RecordedResource } from '../src/testing/mocks';

const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

function programOf(resources: Omit<RecordedResource, 'id' | 'state'>[]) {
  return { resources: resources.map((resource) => ({ ...resource, id: `${resource.name}-id`, state: {} })) };
}

describe('the IAM vocabulary check', () => {
  it('passes actions, patterns and condition keys AWS defines, whatever their case', async () => {
    // prepare
    const program = programOf([
      {
        type: 'aws:iam/rolePolicy:RolePolicy',
        name: 'reader',
        inputs: {
          policy: policy(
            { Effect: 'Allow', Action: ['s3:GetObject', 's3:get*', 'kms:Decrypt'], Resource: '*', Condition: { StringLike: { 's3:prefix': 'raw/', 'kms:ViaService': 's3.*' } } },
            { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' }, StringEquals: { 'aws:PrincipalTag/team': 'data' } } },
          ),
        },
      },
    ]);
    // act
    const { documents, findings } = await iamVocabularyReport(program);
    // assess
    expect(findings).toEqual([]);
    expect(documents).toEqual(['aws:iam/rolePolicy:RolePolicy reader policy']);
  });

  it('names a made-up action, a pattern matching nothing, an unknown service and an unknown condition key', async () => {
    // prepare
    const program = programOf([
      {
        type: 'aws:s3/bucketPolicy:BucketPolicy',
        name: 'lake',
        inputs: {
          policy: policy({
            Sid: 'Read',
            Effect: 'Allow',
            Principal: { Service: 'glue.amazonaws.com' },
            Action: ['s3:GetObjects', 's3:Fetch*', 'storage:GetObject'],
            Resource: '*',
            Condition: { StringEquals: { 's3:objectPrefix': 'raw/', 'aws:SourceAcount': '123456789012' } },
          }),
        },
      },
    ]);
    // act
    const { findings } = await iamVocabularyReport(program);
    // assess
    expect(findings).toEqual([
      'aws:s3/bucketPolicy:BucketPolicy lake policy statement Read: action "s3:GetObjects" does not exist',
      'aws:s3/bucketPolicy:BucketPolicy lake policy statement Read: action pattern "s3:Fetch*" matches no action of s3',
      'aws:s3/bucketPolicy:BucketPolicy lake policy statement Read: action "storage:GetObject" names no service AWS defines',
      'aws:s3/bucketPolicy:BucketPolicy lake policy statement Read: condition key "s3:objectPrefix" is neither global nor defined by s3, storage',
      'aws:s3/bucketPolicy:BucketPolicy lake policy statement Read: condition key "aws:SourceAcount" is not a global condition key',
    ]);
  });

  it('refuses a service condition key in a statement whose actions are of another service', async () => {
    // prepare
    const program = programOf([
      {
        type: 'aws:iam/role:Role',
        name: 'crawler',
        inputs: {
          assumeRolePolicy: policy({ Effect: 'Allow', Principal: { Service: 'glue.amazonaws.com' }, Action: 'sts:AssumeRole' }),
          inlinePolicies: [{ name: 'read', policy: policy({ Effect: 'Allow', Action: 'sqs:ReceiveMessage', Resource: '*', Condition: { StringLike: { 's3:prefix': 'raw/' } } }) }],
        },
      },
    ]);
    // act
    const { documents, findings } = await iamVocabularyReport(program);
    // assess
    expect(documents).toEqual(['aws:iam/role:Role crawler assumeRolePolicy', 'aws:iam/role:Role crawler inlinePolicies[0].policy']);
    expect(findings).toEqual(['aws:iam/role:Role crawler inlinePolicies[0].policy statement #1: condition key "s3:prefix" is neither global nor defined by sqs']);
  });
});
