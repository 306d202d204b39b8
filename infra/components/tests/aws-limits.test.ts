import { describe, expect, it } from 'vitest';
import { awsLimitReport } from '../src/testing/aws-limits';
import type { MockedProgram, RecordedResource } from '../src/testing/mocks';

function programOf(resources: Omit<RecordedResource, 'id' | 'state'>[]): MockedProgram {
  const recorded = resources.map((resource) => ({ ...resource, id: `${resource.name}-id`, state: {} }));
  return {
    resources: recorded,
    outputs: {},
    ofType: (type) => recorded.filter((resource) => resource.type === type),
    one: () => {
      throw new Error('not used');
    },
  };
}

const policyOf = (length: number) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'x'.repeat(length), Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });

describe('the AWS field limits check', () => {
  it('passes values at their limit and names each one over it, with the field and the limit', () => {
    // prepare
    const program = programOf([
      { type: 'aws:lambda/function:Function', name: 'fits', inputs: { description: 'd'.repeat(256), environment: { variables: { A: 'v'.repeat(4095) } } } },
      { type: 'aws:lambda/function:Function', name: 'long', inputs: { description: 'd'.repeat(257), environment: { variables: { A: 'é'.repeat(2048) } } } },
    ]);
    // act
    const { findings, checked } = awsLimitReport(program);
    // assess
    expect(checked).toEqual(['Lambda CreateFunction Description', 'Lambda CreateFunction Environment.Variables']);
    expect(findings).toEqual([
      "long: Lambda CreateFunction Description is 257 characters, over AWS's 256",
      "long: Lambda CreateFunction Environment.Variables is 4097 bytes of names and values, over AWS's 4096",
    ]);
  });

  it('measures each element of a list on its own, and the inline policies of one role together', () => {
    // prepare
    const column = (comment: string) => ({ name: 'c', type: 'string', comment });
    const program = programOf([
      { type: 'aws:glue/catalogTable:CatalogTable', name: 'streams', inputs: { storageDescriptor: { columns: [column('c'.repeat(200)), column('c'.repeat(256))] } } },
      { type: 'aws:iam/rolePolicy:RolePolicy', name: 'reads', inputs: { role: 'worker', policy: policyOf(5100) } },
      { type: 'aws:iam/rolePolicy:RolePolicy', name: 'writes', inputs: { role: 'worker', policy: policyOf(5100) } },
      { type: 'aws:iam/rolePolicy:RolePolicy', name: 'alone', inputs: { role: 'other', policy: policyOf(5100) } },
    ]);
    // act
    const { findings } = awsLimitReport(program);
    // assess
    expect(findings).toEqual([
      "role worker (reads, writes): IAM PutRolePolicy PolicyDocument (all inline policies of a role) is 10410 non-whitespace characters, over AWS's 10240",
      "streams storageDescriptor.columns[].comment #2: Glue Column.Comment is 256 characters, over AWS's 255",
    ]);
  });

  it('names a value holding a character its field refuses', () => {
    // prepare
    const program = programOf([{ type: 'aws:kms/alias:Alias', name: 'secrets', inputs: { name: 'alias/twitch-pipeline-prod.eu-pulumi-secrets' } }]);
    // act
    const { findings } = awsLimitReport(program);
    // assess
    expect(findings).toEqual(['secrets: KMS CreateAlias AliasName "alias/twitch-pipeline-prod.eu-pulumi-secrets" holds a character AWS refuses there']);
  });
});
