import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PIPELINE_ENV_VARIABLES } from '@twitch-pipeline/schemas';
import { describe, expect, it } from 'vitest';
import { PIPELINE_SETTING } from '../../../vitest.shared';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** What a test process of a run started from `shell` would get: Vitest's own merge of the two. */
async function testProcessEnvironment(shell: Record<string, string>): Promise<Record<string, string | undefined>> {
  const script =
    "const { testEnv } = await import('./vitest.shared.ts'); process.stdout.write(JSON.stringify({ ...process.env, ...testEnv }));";
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...shell },
  });
  return JSON.parse(stdout);
}

describe('the environment the tests run in', () => {
  it("leaves out the pipeline's settings a deploy shell exported, and keeps the rest of the shell", async () => {
    // act
    const env = await testProcessEnvironment({
      PIPELINE_LANGUAGES: 'en',
      PIPELINE_TIMEZONE: 'UTC',
      PIPELINE_DATA_DIR: '/srv/pipeline-data',
      TWITCH_CLIENT_ID: 'prod-client',
      TWITCH_CLIENT_SECRET: 'prod-secret',
      LAKE_BUCKET: 'prod-lake',
      ALERT_RULES_FILE: 'rules.json',
      QUEUE_MAX_RECEIVES: '5',
      NODE24_BIN: '/opt/node24/bin/node',
      PIPELINES: 'kept',
    });
    // assess
    const left = Object.keys(env).filter((name) => /^(PIPELINE_|TWITCH_|LAKE_|ALERT_|QUEUE_)/.test(name));
    expect(left).toEqual([]);
    expect(env.NODE24_BIN).toBe('/opt/node24/bin/node');
    expect(env.PIPELINES).toBe('kept');
  });

  it("leaves out the shell's forward proxy: every server of the tests is on this machine", async () => {
    // act
    const env = await testProcessEnvironment({
      HTTP_PROXY: 'http://proxy.corp:3128',
      https_proxy: 'http://proxy.corp:3128',
      NO_PROXY: '.corp',
      NODE_USE_ENV_PROXY: '1',
    });
    // assess
    expect(Object.keys(env).filter((name) => /proxy/i.test(name))).toEqual(['NODE_USE_ENV_PROXY']);
  });

  it("leaves out the shell's AWS profile, which the SDK would prefer to the test credentials", async () => {
    // act
    const env = await testProcessEnvironment({ AWS_PROFILE: 'sso-prod', AWS_DEFAULT_PROFILE: 'sso-prod' });
    // assess
    expect(env.AWS_PROFILE).toBeUndefined();
    expect(env.AWS_DEFAULT_PROFILE).toBeUndefined();
    expect(env.AWS_ACCESS_KEY_ID).toBe('test');
  });

  it("turns off a user's FIPS and dual-stack endpoints, which the SDK refuses with the emulators' endpoints", async () => {
    // act
    const env = await testProcessEnvironment({ AWS_USE_FIPS_ENDPOINT: 'true', AWS_USE_DUALSTACK_ENDPOINT: 'true' });
    // assess
    expect(env.AWS_USE_FIPS_ENDPOINT).toBe('false');
    expect(env.AWS_USE_DUALSTACK_ENDPOINT).toBe('false');
  });

  it('leaves out every variable the pipeline reads, as its configuration schema names them', () => {
    // assess: a variable added to the schema under a new prefix must be added to the list too
    expect(PIPELINE_ENV_VARIABLES.filter((name) => !PIPELINE_SETTING.test(name))).toEqual([]);
    expect(PIPELINE_ENV_VARIABLES.length).toBeGreaterThan(10);
  });
});
