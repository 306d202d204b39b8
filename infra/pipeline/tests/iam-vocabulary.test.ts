import { iamVocabularyReport } from '@twitch-pipeline/infra-components/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { program, runProdStack } from './support/prod-stack';

// IAM stores a misspelt or retired action or condition key without a word; the request it was
// meant to allow then fails as AccessDenied at run time, not at pulumi up.
beforeAll(runProdStack);

describe('pipeline stack: IAM vocabulary', () => {
  it('names only actions and condition keys AWS defines, in every policy it writes', async () => {
    // prepare
    const roles = ['extract', 'publish', 'scheduler', 'state-machine', 'stream-consumer', 'transform-gold', 'transform-silver'];
    // act
    const { documents, findings } = await iamVocabularyReport(program);
    // assess
    expect(findings).toEqual([]);
    expect(documents).toEqual([
      ...roles.map((role) => `aws:iam/role:Role ${role} assumeRolePolicy`),
      ...roles.map((role) => `aws:iam/rolePolicy:RolePolicy ${role} policy`),
      'aws:sns/topicPolicy:TopicPolicy alerts policy',
    ]);
  });
});
