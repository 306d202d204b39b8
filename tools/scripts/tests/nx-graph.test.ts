import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

// Asks the real Nx (no daemon, no cloud) what a change affects, what a target reads and what a
// deploy runs first, so that CI's `nx affected` and the build cache can be trusted.
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const NX = join(ROOT, 'node_modules/nx/dist/bin/nx.js');
const LAMBDA_APPS = ['extract', 'publish', 'stream-consumer', 'transform'];

async function nx(...args: string[]): Promise<string> {
  const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NO_COLOR: '1' };
  const { stdout } = await run(process.execPath, [NX, ...args], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

async function affectedBy(file: string): Promise<string[]> {
  return JSON.parse(await nx('show', 'projects', '--affected', `--files=${file}`, '--json'));
}

async function inputFiles(task: string): Promise<string[]> {
  return JSON.parse(await nx('show', 'target', 'inputs', task, '--json')).files;
}

/** The tasks Nx runs before each of `targets` of `project`, read from the task graph without running anything. */
async function tasksBefore(project: string, targets: string[]): Promise<Record<string, string[]>> {
  const graph = JSON.parse(await nx('run-many', '-t', ...targets, '-p', project, '--graph=stdout'));
  const dependencies: Record<string, { id: string }[]> = graph.tasks.dependencies;
  return Object.fromEntries(targets.map((target) => [target, (dependencies[`${project}:${target}`] ?? []).map((task) => task.id).sort()]));
}

const CHANGED_FILES = {
  handler: 'apps/extract/src/handler.ts',
  schemas: 'libs/schemas/src/index.ts',
  sqlModel: 'libs/features/models/silver_streams.sql',
  bundler: 'tools/scripts/bundle-lambda.ts',
  bindingPicker: 'tools/scripts/duckdb-binding.ts',
  readme: 'README.md',
};

describe('the Nx project graph', () => {
  const affected = new Map<string, string[]>();

  beforeAll(async () => {
    // prepare + act: one Nx start per changed file, two at a time on a small machine
    const entries = Object.entries(CHANGED_FILES);
    for (let index = 0; index < entries.length; index += 2) {
      const pair = entries.slice(index, index + 2);
      const results = await Promise.all(pair.map(([, file]) => affectedBy(file)));
      for (const [at, [name]] of pair.entries()) affected.set(name, results[at] ?? []);
    }
  }, 120_000);

  it('takes the pipeline stack along when a Lambda handler changes, and nothing unrelated', () => {
    // assess
    expect(affected.get('handler')).toEqual(expect.arrayContaining(['extract', 'infra-pipeline']));
    const unrelated = ['publish', 'stream-consumer', 'transform', 'cli', 'pipeline', 'schemas', 'twitch', 'infra-data', 'infra-bootstrap'];
    expect(affected.get('handler')?.filter((project) => unrelated.includes(project))).toEqual([]);
  });

  it('takes every consumer along when the schemas change', () => {
    // assess
    expect(affected.get('schemas')).toEqual(
      expect.arrayContaining(['schemas', 'storage', 'twitch', 'pipeline', ...LAMBDA_APPS, 'cli', 'infra-data', 'infra-pipeline']),
    );
    expect(affected.get('schemas')).not.toContain('infra-bootstrap');
  });

  it('takes the transform and both stacks along when a SQL model changes', () => {
    // assess
    expect(affected.get('sqlModel')).toEqual(expect.arrayContaining(['features', 'pipeline', 'transform', 'infra-data', 'infra-pipeline']));
    expect(affected.get('sqlModel')).not.toContain('schemas');
  });

  it('takes every Lambda app and the pipeline stack along when the bundler changes', () => {
    // assess
    expect(affected.get('bundler')).toEqual(expect.arrayContaining([...LAMBDA_APPS, 'infra-pipeline', 'tools-scripts']));
  });

  it('takes every Lambda app and the pipeline stack along when the choice of DuckDB binding the bundler ships changes', () => {
    // assess
    expect(affected.get('bindingPicker')).toEqual(expect.arrayContaining([...LAMBDA_APPS, 'infra-pipeline']));
  });

  it('takes nothing along when only the README changes', () => {
    // assess
    expect(affected.get('readme')).toEqual([]);
  });
});

describe('Nx target inputs', () => {
  it("rebuilds a Lambda when the bundler or a library's source changes, never for a test", async () => {
    // act
    const files = await inputFiles('stream-consumer:build');

    // assess
    expect(files).toEqual(
      expect.arrayContaining([
        'tools/scripts/bundle-lambda.ts',
        'tools/scripts/duckdb-binding.ts',
        'apps/stream-consumer/src/handler.ts',
        'libs/storage/src/index.ts',
      ]),
    );
    expect(files.filter((file) => /(^|\/)tests\/|\.test\.ts$|vitest\.config\.ts$/.test(file))).toEqual([]);
  });

  it("re-runs the pipeline stack's tests when a Lambda app's source or a library's test helper changes", async () => {
    // act
    const files = await inputFiles('infra-pipeline:test');

    // assess
    const lambdaSources = LAMBDA_APPS.map((app) => `apps/${app}/package.json`).concat(['apps/extract/src/handler.ts']);
    expect(files).toEqual(expect.arrayContaining([...lambdaSources, 'libs/storage/tests/support/index.ts']));
  });
});

describe('deploy targets', () => {
  it('builds every Lambda app before the pipeline stack is previewed, deployed or tested', async () => {
    // act
    const before = await tasksBefore('infra-pipeline', ['up', 'preview', 'test']);

    // assess
    const builds = LAMBDA_APPS.map((app) => `${app}:build`);
    expect(before).toEqual({ up: builds, preview: builds, test: builds });
  });

  it('runs pulumi in the folder of each stack', async () => {
    // act
    const graph = JSON.parse(await nx('graph', '--file=stdout'));

    // assess
    const stacks = ['infra-bootstrap', 'infra-data', 'infra-pipeline'].map((name) => graph.graph.nodes[name].data);
    const commands = stacks.map((project) => [project.name, project.targets.preview.options, project.targets.up.options]);
    expect(commands).toEqual(
      ['bootstrap', 'data', 'pipeline'].map((stack) => [
        `infra-${stack}`,
        { command: 'pulumi preview', cwd: `infra/${stack}` },
        { command: 'pulumi up', cwd: `infra/${stack}` },
      ]),
    );
  });
});
