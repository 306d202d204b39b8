import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type MockedProgram, runMockedProgram } from '@twitch-pipeline/infra-components/testing';
import { describe, expect, it } from 'vitest';
import { loadBootstrapConfig } from '../src/config';
import { createStateBackend } from '../src/state-backend';

// S3 deletes a versioned bucket only once every version and delete marker is gone, and the state
// bucket keeps the other stacks' old state versions: without forceDestroy a teardown stops there.
const PROJECT = 'twitch-pipeline-bootstrap';
const BASE_CONFIG = { stateVersionRetentionDays: '90', customerManagedKey: 'false', keyDeletionWindowDays: '30' };

function runBackend(config: Record<string, string>): Promise<MockedProgram> {
  return runMockedProgram({ project: PROJECT, stack: 'prod', config }, async () => {
    const backend = createStateBackend(loadBootstrapConfig());
    return { backendUrl: backend.backendUrl };
  });
}

describe('state bucket teardown', () => {
  it('keeps the state bucket from being deleted with its objects when forceDestroy is unset', async () => {
    // prepare
    const program = await runBackend(BASE_CONFIG);
    // act
    const bucket = program.one('aws:s3/bucket:Bucket', 'pulumi-state');
    const accessLogs = program.one('aws:s3/bucket:Bucket', 'access-logs');
    // assess
    expect(bucket.inputs.forceDestroy).toBe(false);
    expect(accessLogs.inputs.forceDestroy).toBe(false);
  });

  it('lets pulumi destroy empty and delete the state bucket and its access logs with forceDestroy: "true"', async () => {
    // prepare
    const program = await runBackend({ ...BASE_CONFIG, forceDestroy: 'true' });
    // act
    const bucket = program.one('aws:s3/bucket:Bucket', 'pulumi-state');
    const accessLogs = program.one('aws:s3/bucket:Bucket', 'access-logs');
    // assess
    expect(bucket.inputs.forceDestroy).toBe(true);
    expect(accessLogs.inputs.forceDestroy).toBe(true);
  });

  it.each(['Pulumi.dev.yaml', 'Pulumi.prod.yaml'])('%s ships forceDestroy off', (stackFile) => {
    // prepare
    const text = readFileSync(fileURLToPath(new URL(`../${stackFile}`, import.meta.url)), 'utf8');
    // act
    const shipped = new RegExp(`^\\s+${PROJECT}:forceDestroy: *"?(\\w+)"?`, 'm').exec(text)?.[1];
    // assess
    expect(shipped).toBe('false');
  });
});
