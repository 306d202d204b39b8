import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/boundaries/', import.meta.url));
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const { readProjectLayers } = createRequire(import.meta.url)('../module-boundaries.cjs') as {
  readProjectLayers: (root: string) => { dir: string; layer: string }[];
};

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** Runs the real dependency-cruiser CLI in the fixture, with its config (the root config's rules). */
async function cruiseFixture(outputType: 'err' | 'json'): Promise<{ exitCode: number; stdout: string }> {
  const args = [DEPCRUISE, '--config', '.dependency-cruiser.cjs', '--output-type', outputType, 'apps', 'libs'];
  try {
    // Nx sets FORCE_COLOR for the tasks it runs (`nx run-many -t test`): the report must stay plain text.
    const env = { ...process.env, FORCE_COLOR: '0' };
    const { stdout } = await run(process.execPath, args, { cwd: FIXTURE, env, maxBuffer: 16 * 1024 * 1024 });
    return { exitCode: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { exitCode: failed.code, stdout: failed.stdout };
  }
}

describe('module boundaries', () => {
  it('reports every deliberately wrong import of the fixture workspace, and nothing else', async () => {
    // prepare: the fixture marks each wrong import with the rule that must catch it

    // act: the report lint prints (its exit code fails the lint), and the same cruise as data
    const [lint, report] = await Promise.all([cruiseFixture('err'), cruiseFixture('json')]);

    // assess
    const violations: Violation[] = JSON.parse(report.stdout).summary.violations;
    const found = violations.map((violation) => `${violation.rule.name}: ${violation.from} → ${violation.to.replace(/^(\.\.\/)+/, '')}`);
    expect(found.sort()).toEqual(
      [
        'layer-schemas: libs/schemas/src/index.ts → libs/pipeline/src/index.ts',
        'no-circular: libs/pipeline/src/index.ts → libs/schemas/src/index.ts',
        'no-test-packages-in-shipped-code: libs/pipeline/src/index.ts → node_modules/vitest/dist/index.js',
        'no-tests-in-shipped-code: libs/pipeline/src/index.ts → libs/pipeline/tests/sample-rows.ts',
        'simulator-only-in-apps-tools-and-tests: libs/pipeline/src/index.ts → libs/helix-simulator/src/index.ts',
      ].sort(),
    );
    expect(lint.exitCode).toBe(5);
    expect(lint.stdout).toContain('error layer-schemas: libs/schemas/src/index.ts → libs/pipeline/src/index.ts');
  });

  it('refuses a project without a layer tag', async () => {
    // prepare
    const root = await mkdtemp(join(tmpdir(), 'boundaries-'));
    await mkdir(join(root, 'libs', 'untagged'), { recursive: true });
    await writeFile(join(root, 'libs', 'untagged', 'package.json'), JSON.stringify({ name: 'untagged', nx: { tags: ['scope:x'] } }));

    try {
      // act
      const reading = () => readProjectLayers(root);

      // assess
      expect(reading).toThrow(/libs\/untagged: needs exactly one tag of layer:schemas/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('gives every project of the workspace a layer', () => {
    // prepare: the workspace itself

    // act
    const projects = readProjectLayers(ROOT);

    // assess
    const layerOf = Object.fromEntries(projects.map((project) => [project.dir, project.layer]));
    expect(layerOf).toMatchObject({
      'libs/schemas': 'schemas',
      'libs/storage': 'base',
      'libs/features': 'domain',
      'libs/pipeline': 'steps',
      'apps/extract': 'app',
      'infra/pipeline': 'infra',
      'tools/scripts': 'tool',
    });
  });
});
