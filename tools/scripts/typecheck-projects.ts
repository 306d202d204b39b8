import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

// Type-checks every project as its own tsconfig.json says, in as few TypeScript programs as
// there are distinct sets of compiler options: one `tsc -p` per project (the Nx `typecheck`
// target) checks the shared libraries and loads the AWS and Pulumi declarations once per
// project, 21 times in all (108 s on a 2-core machine, against about 25 s here). Files are
// checked alike either way: a file's diagnostics depend on the options, not on which project
// listed it. Usage: npx tsx tools/scripts/typecheck-projects.ts

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The workspaces' folders that hold projects (package.json `workspaces`). */
const PROJECT_FOLDERS = ['apps', 'libs', 'infra', 'tools'];

/** The projects checked together: one set of compiler options and every project's files. */
export interface ProgramGroup {
  options: ts.CompilerOptions;
  rootNames: string[];
  projects: string[];
}

/**
 * The tsconfig.json of every project under the workspaces' folders of `root`.
 *
 * @example
 * projectConfigs('.'); // ['apps/cli/tsconfig.json', …]
 */
export function projectConfigs(root: string = ROOT): string[] {
  return PROJECT_FOLDERS.flatMap((folder) =>
    existsSync(join(root, folder))
      ? readdirSync(join(root, folder), { withFileTypes: true })
          .filter((entry) => entry.isDirectory() && existsSync(join(root, folder, entry.name, 'tsconfig.json')))
          .map((entry) => join(root, folder, entry.name, 'tsconfig.json'))
      : [],
  ).sort();
}

function parsedConfig(path: string): ts.ParsedCommandLine {
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(`${path}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    },
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(path, {}, host);
  if (!parsed) throw new Error(`${path}: cannot be read`);
  if (parsed.errors.length > 0) throw new Error(`${path}: ${parsed.errors.map((error) => ts.flattenDiagnosticMessageText(error.messageText, '\n')).join('; ')}`);
  return parsed;
}

/**
 * Groups projects by their compiler options (a config's own path aside), each group with the
 * files every one of its projects includes, once.
 *
 * @example
 * const groups = groupProjects(projectConfigs());
 * groups.map((group) => group.projects); // [['apps/cli'], ['apps/extract', 'libs/schemas', …]]
 */
export function groupProjects(configPaths: readonly string[], root: string = ROOT): ProgramGroup[] {
  const groups = new Map<string, ProgramGroup>();
  for (const path of configPaths) {
    const parsed = parsedConfig(path);
    const { configFilePath: _ownPath, ...options } = parsed.options;
    const key = JSON.stringify(Object.entries(options).sort(([a], [b]) => a.localeCompare(b)));
    const group = groups.get(key) ?? { options, rootNames: [], projects: [] };
    group.rootNames = [...new Set([...group.rootNames, ...parsed.fileNames])];
    group.projects.push(relative(root, dirname(path)));
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * The type errors of every group's files, as `tsc` reports them; an error in a file two groups
 * check alike (a library both import) once.
 *
 * @example
 * const diagnostics = typecheckGroups(groupProjects(projectConfigs()));
 */
export function typecheckGroups(groups: readonly ProgramGroup[]): ts.Diagnostic[] {
  const seen = new Set<string>();
  return groups
    .flatMap((group) => [...ts.getPreEmitDiagnostics(ts.createProgram({ rootNames: group.rootNames, options: group.options }))])
    .filter((diagnostic) => {
      const key = `${diagnostic.file?.fileName}:${diagnostic.start}:${diagnostic.code}:${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  const groups = groupProjects(projectConfigs());
  const diagnostics = typecheckGroups(groups);
  const host: ts.FormatDiagnosticsHost = { getCanonicalFileName: (name) => name, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' };
  if (diagnostics.length > 0) process.stderr.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
  const projects = groups.reduce((count, group) => count + group.projects.length, 0);
  console.log(
    `typecheck: ${projects} projects in ${groups.length} programs, ${diagnostics.length} error(s), ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  process.exit(diagnostics.length > 0 ? 1 : 0);
}
