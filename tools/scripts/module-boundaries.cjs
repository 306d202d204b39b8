/**
 * The workspace's module boundaries as dependency-cruiser rules, derived from the `layer:*` tag
 * of every project (the `nx.tags` of its package.json, or the `tags` of its project.json).
 * The root `.dependency-cruiser.cjs` applies them to the repository; a test applies them to a
 * fixture workspace with deliberately wrong imports.
 */
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join, relative, sep } = require('node:path');

/** What a project of each layer may import besides itself; the README's layout table explains the layers. */
const ALLOWED_LAYERS = {
  schemas: [],
  base: ['schemas'],
  domain: ['schemas', 'base'],
  steps: ['schemas', 'base', 'domain'],
  app: ['schemas', 'base', 'domain', 'steps'],
  'infra-base': [],
  infra: ['schemas', 'base', 'domain', 'steps', 'infra-base'],
  // Tools sit beside everything: they may measure any project, and no project imports them.
  tool: ['schemas', 'base', 'domain', 'steps', 'app', 'infra-base', 'infra'],
};

const PROJECT_GROUPS = ['apps', 'libs', 'infra', 'tools'];
const SIMULATOR = 'libs/helix-simulator';
/** Packages only tests may load: test runners, emulators, mocks and validators. */
const TEST_ONLY_PACKAGES = ['vitest', '@vitest', 'aws-sdk-client-mock', 's3rver', 'dynalite', 'playwright-core', 'asl-validator', 'dt-sql-parser'];
/** Shipped code: a project's src and bin folders and the stacks' Pulumi entry points. */
const SHIPPED = '^(?:apps|libs|infra)/[^/]+/(?:src/|bin/|index\\.ts$)';

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function readTags(projectDir) {
  const projectJson = join(projectDir, 'project.json');
  if (existsSync(projectJson)) return JSON.parse(readFileSync(projectJson, 'utf8')).tags ?? [];
  const packageJson = join(projectDir, 'package.json');
  if (existsSync(packageJson)) return JSON.parse(readFileSync(packageJson, 'utf8')).nx?.tags ?? [];
  return undefined;
}

/**
 * Every project folder under apps/, libs/, infra/ and tools/ with its layer; a project without
 * exactly one known `layer:` tag is an error, so a new project cannot slip past the rules.
 *
 * @example
 * readProjectLayers(process.cwd()); // [{ dir: 'apps/cli', layer: 'app' }, …]
 */
function readProjectLayers(root) {
  const projects = [];
  for (const group of PROJECT_GROUPS) {
    if (!existsSync(join(root, group))) continue;
    for (const entry of readdirSync(join(root, group), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = `${group}/${entry.name}`;
      const tags = readTags(join(root, dir));
      if (tags === undefined) continue;
      const layers = tags.filter((tag) => tag.startsWith('layer:')).map((tag) => tag.slice('layer:'.length));
      if (layers.length !== 1 || !(layers[0] in ALLOWED_LAYERS)) {
        throw new Error(`${dir}: needs exactly one tag of ${Object.keys(ALLOWED_LAYERS).map((layer) => `layer:${layer}`).join(', ')}`);
      }
      projects.push({ dir, layer: layers[0] });
    }
  }
  return projects;
}

function alternatives(dirs) {
  return dirs.map(escapeRegExp).join('|');
}

function layerRules(projects) {
  const rules = [];
  for (const [layer, allowed] of Object.entries(ALLOWED_LAYERS)) {
    const members = projects.filter((project) => project.layer === layer).map((project) => project.dir);
    if (members.length === 0) continue;
    const allowedDirs = projects.filter((project) => allowed.includes(project.layer)).map((project) => project.dir);
    const comment = `a ${layer} project imports only itself${allowed.length ? ` and ${allowed.join(', ')} projects` : ''}`;
    rules.push(
      {
        name: `layer-${layer}`,
        comment,
        severity: 'error',
        from: { path: `^(${alternatives(members)})/`, pathNot: '^[^/]+/[^/]+/tests/' },
        to: { path: `^(?:${PROJECT_GROUPS.join('|')})/`, pathNot: `^(?:$1|${alternatives(allowedDirs) || '$1'})/` },
      },
      {
        name: `layer-${layer}-tests`,
        comment: `${comment}; its tests may also use the other ${layer} projects and the Helix simulator (Twitch's test double)`,
        severity: 'error',
        from: { path: `^(${alternatives(members)})/tests/` },
        to: { path: `^(?:${PROJECT_GROUPS.join('|')})/`, pathNot: `^(?:$1|${alternatives([...allowedDirs, ...members, SIMULATOR])})/` },
      },
    );
  }
  return rules;
}

/**
 * The dependency-cruiser configuration for the workspace at `root`. Run from a project's folder
 * (its `lint`), the cruise stops at that project's edges and leaves other projects to their own
 * lint; run from the root it follows everything.
 *
 * @example
 * // .dependency-cruiser.cjs
 * module.exports = dependencyCruiserConfig(__dirname);
 */
function dependencyCruiserConfig(root, cwd = process.cwd()) {
  const projects = readProjectLayers(root);
  const current = relative(root, cwd).split(sep).join('/');
  const linted = projects.find((project) => project.dir === current);
  return {
    forbidden: [
      ...layerRules(projects),
      {
        name: 'simulator-only-in-apps-tools-and-tests',
        comment: 'the Helix simulator stands in for Twitch: libraries and stacks use it only in their tests',
        severity: 'error',
        from: { path: '^(?:libs|infra)/[^/]+/(?:src/|index\\.ts$)', pathNot: `^${escapeRegExp(SIMULATOR)}/` },
        to: { path: `^${escapeRegExp(SIMULATOR)}/` },
      },
      {
        name: 'no-test-packages-in-shipped-code',
        comment: `shipped code never loads ${TEST_ONLY_PACKAGES.join(', ')}`,
        severity: 'error',
        from: { path: SHIPPED },
        to: { path: `(?:^|/)node_modules/(?:${TEST_ONLY_PACKAGES.map(escapeRegExp).join('|')})/` },
      },
      {
        name: 'no-tests-in-shipped-code',
        comment: "shipped code never imports a project's tests or their support files",
        severity: 'error',
        from: { path: SHIPPED },
        to: { path: '^(?:apps|libs|infra|tools)/[^/]+/tests/' },
      },
      {
        name: 'no-circular',
        comment: 'modules form no import cycle',
        severity: 'error',
        from: {},
        to: { circular: true },
      },
    ],
    options: {
      baseDir: root,
      exclude: { path: ['^dist/', '^tools/scripts/tests/fixtures/'] },
      doNotFollow: { path: linted ? ['node_modules', `^(?!${escapeRegExp(linted.dir)}/)`] : ['node_modules'] },
      tsPreCompilationDeps: true,
      skipAnalysisNotInRules: true,
      enhancedResolveOptions: {
        exportsFields: ['exports'],
        conditionNames: ['import', 'require', 'node', 'default'],
        extensions: ['.ts', '.mts', '.js', '.mjs', '.cjs', '.json'],
        mainFields: ['module', 'main'],
      },
    },
  };
}

module.exports = { dependencyCruiserConfig, readProjectLayers, ALLOWED_LAYERS };
