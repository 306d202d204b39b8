import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupProjects, projectConfigs, typecheckGroups } from '../typecheck-projects';

let root: string;

/** Writes `files` (path → text) under the workspace `root`. */
async function write(files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

beforeAll(async () => {
  // prepare: a workspace of three projects on one base; the app adds the DOM library, one
  // library has a type error, and the app imports that library
  root = await mkdtemp(join(tmpdir(), 'typecheck-projects-'));
  const project = (extra = '') => `{ "extends": "../../tsconfig.base.json", ${extra} "include": ["src"] }`;
  await write({
    'tsconfig.base.json': '{ "compilerOptions": { "strict": true, "noEmit": true, "target": "ES2023", "lib": ["ES2023"], "module": "ESNext", "moduleResolution": "Bundler" } }',
    'libs/sound/tsconfig.json': project(),
    'libs/sound/src/index.ts': 'export const one: number = 1;\n',
    'libs/broken/tsconfig.json': project(),
    'libs/broken/src/index.ts': "export const two: number = 'two';\n",
    'apps/page/tsconfig.json': project('"compilerOptions": { "lib": ["ES2023", "DOM"] },'),
    'apps/page/src/main.ts': "import { two } from '../../../libs/broken/src/index';\nexport const title: string = document.title + two;\n",
    'tools/notes/README.md': 'no tsconfig: not a project\n',
  });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('typecheck-projects', () => {
  it('checks the projects of one set of options in one program, and those of another apart', () => {
    // act
    const groups = groupProjects(projectConfigs(root), root);

    // assess
    expect(groups.map((group) => group.projects)).toEqual([['apps/page'], ['libs/broken', 'libs/sound']]);
    expect(groups[1]!.rootNames.map((name) => name.slice(root.length))).toEqual(['/libs/broken/src/index.ts', '/libs/sound/src/index.ts']);
  });

  it('reports a type error once, though both programs check its file, and no error the DOM library explains', () => {
    // act
    const diagnostics = typecheckGroups(groupProjects(projectConfigs(root), root));

    // assess
    expect(diagnostics.map((diagnostic) => [diagnostic.file?.fileName.slice(root.length), diagnostic.code])).toEqual([['/libs/broken/src/index.ts', 2322]]);
  });
});
