import { lstatSync, readlinkSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type PipelineConfig } from '@twitch-pipeline/schemas';
import { usageError } from './errors';
import type { Io } from './io';
import { parseRefusalOf } from './parse-problem';
import { defaultDataDir } from './typing-folder';
import { unknownSettingWarnings } from './unknown-settings';

/** One flag of a command. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
  short?: string;
  multiple?: boolean;
  /** Placeholder shown in help, e.g. `N` in `--hours N`. */
  value?: string;
}

/** What a command receives once its flags are parsed. */
export interface CommandInput {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  io: Io;
  env: NodeJS.ProcessEnv;
  /** `--json`: print one JSON document on stdout instead of text. */
  json: boolean;
  /** The validated configuration; throws `ConfigError` (reported with exit code 2). */
  config(): PipelineConfig;
}

/** A `twitch-pipeline` command: one per file under `commands/`. */
export interface Command {
  name: string;
  /** Usage lines without the program name, e.g. `query "SQL" [--format csv]`. */
  usage: string[];
  /** Extra paragraphs of help. */
  details?: string;
  options: Record<string, OptionSpec>;
  /**
   * `spaced`: a value that may hold spaces (SQL, a category name), so a stray argument is likely its unquoted rest.
   * `dashed`: a value that may open with a dash (SQL), so an unknown option may be it, given before `--`.
   */
  positionals?: { name: string; description: string; spaced?: boolean; dashed?: boolean }[];
  examples: string[];
  run(input: CommandInput): Promise<number>;
}

export const PROGRAM = 'twitch-pipeline';

/** The package that ships the command (its `bin`); its version is the command's. */
const PACKAGE_JSON = new URL('../../package.json', import.meta.url);

/**
 * The command's version, read from its package.json when asked, so a release bump needs no
 * code change.
 *
 * @example
 * io.out(`${PROGRAM} ${await programVersion()}\n`); // twitch-pipeline 0.1.0
 */
export async function programVersion(packageJson: URL | string = PACKAGE_JSON): Promise<string> {
  const { version } = JSON.parse(await readFile(packageJson, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string' || version === '') throw new Error(`${String(packageJson)} has no "version"`);
  return version;
}

const COMMON_OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'print one JSON document on stdout (for scripts)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

/**
 * A command's options with the common ones after its own; a command may word a common one for
 * what it prints (`run`'s `--json`, one line per cycle with `--every`).
 */
function optionsOf(command: Command): Record<string, OptionSpec> {
  const options = { ...command.options, ...COMMON_OPTIONS };
  for (const name of Object.keys(COMMON_OPTIONS)) {
    const own = command.options[name];
    if (own) options[name] = own;
  }
  return options;
}

function flagLabel(name: string, spec: OptionSpec): string {
  const short = spec.short ? `-${spec.short}, ` : '    ';
  const value = spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : '';
  return `${short}--${name}${value}`;
}

/**
 * The `--help` text of a command.
 *
 * @example
 * io.out(helpOf(queryCommand, 'run SQL over the local lake'));
 */
function helpOf(command: Command, summary: string): string {
  const options = optionsOf(command);
  const labels = Object.entries(options).map(([name, spec]) => [flagLabel(name, spec), spec.description] as const);
  const width = Math.max(...labels.map(([label]) => label.length), ...(command.positionals ?? []).map((p) => p.name.length)) + 2;
  const lines = [`${PROGRAM} ${command.name} — ${summary}`, '', 'Usage:'];
  for (const usage of command.usage) lines.push(`  ${PROGRAM} ${usage}`);
  if (command.details) lines.push('', ...command.details.split('\n').map((line) => (line ? `  ${line}` : '')));
  if (command.positionals?.length) {
    lines.push('', 'Arguments:');
    for (const positional of command.positionals) lines.push(`  ${positional.name.padEnd(width)}${positional.description}`);
  }
  lines.push('', 'Options:');
  for (const [label, description] of labels) lines.push(`  ${label.padEnd(width)}${description}`);
  if (command.examples.length) {
    lines.push('', 'Examples:');
    for (const example of command.examples) lines.push(`  ${example}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Moves an argument that starts with `--` and holds a blank before any `=` (SQL opening with a
 * `-- comment` line) after `--`: no flag's name holds a blank, and Node's parseArgs would take it
 * for an unknown flag. A flag's value stays where it is, given apart or after `=`
 * (`--out="my file.csv"`).
 */
function positionalDashes(args: readonly string[], options: Record<string, OptionSpec>): string[] {
  const valued = new Set(Object.entries(options).flatMap(([name, spec]) => (spec.type === 'string' ? [`--${name}`, ...(spec.short ? [`-${spec.short}`] : [])] : [])));
  const kept: string[] = [];
  const moved: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg === '--') return [...kept, '--', ...moved, ...args.slice(index + 1)];
    if (valued.has(arg) && index + 1 < args.length) {
      kept.push(arg, args[index + 1]!);
      index += 1;
    } else if (arg.startsWith('--') && /\s/.test(arg.split('=')[0]!)) moved.push(arg);
    else kept.push(arg);
  }
  return moved.length > 0 ? [...kept, '--', ...moved] : kept;
}

/**
 * Joins a flag that takes a value and a negative number after it (`--hours -5`, `-n -1`) into one
 * argument: Node's parseArgs takes a value starting with a dash for a forgotten one and answers
 * "ambiguous", where the command's own check says what the flag accepts. Nothing after `--` is
 * touched, and no flag is a digit, so no flag is taken for a value.
 */
function joinNegativeValues(args: readonly string[], options: Record<string, OptionSpec>): string[] {
  const valued = new Map<string, string>();
  for (const [name, spec] of Object.entries(options)) {
    if (spec.type !== 'string') continue;
    valued.set(`--${name}`, `--${name}=`);
    if (spec.short) valued.set(`-${spec.short}`, `-${spec.short}`);
  }
  const joined: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    const next = args[index + 1];
    if (arg === '--') return [...joined, ...args.slice(index)];
    const prefix = valued.get(arg);
    if (prefix !== undefined && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${prefix}${next}`);
      index += 1;
    } else joined.push(arg);
  }
  return joined;
}

/**
 * Parses a command's arguments, prints its help on `--help`, and runs it.
 *
 * @example
 * const exitCode = await runCommand(queryCommand, 'run SQL', ['SELECT 1'], processIo(), process.env);
 */
export async function runCommand(command: Command, summary: string, args: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const options = optionsOf(command);
  const parseable = joinNegativeValues(positionalDashes(args, options), options);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: parseable,
      options: Object.fromEntries(
        Object.entries(options).map(([name, spec]) => [
          name,
          { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) },
        ]),
      ),
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
  } catch (error) {
    const refusal = parseRefusalOf(parseable, options, command.positionals?.some((positional) => positional.dashed) ?? false);
    // The version is the program's, asked before any command: `query --version` was meant as that.
    if (refusal?.kind === 'version') throw usageError(`${command.name} takes no ${refusal.flag}: the version is the program's`, `${PROGRAM} --version`);
    throw usageError(refusal?.message ?? (error as Error).message, `${PROGRAM} ${command.name} --help`);
  }
  // parseArgs keeps the last of a repeated option: `--out a.csv --out b.json` would drop a.csv unsaid.
  const given = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option' || options[token.name]?.type !== 'string' || options[token.name]?.multiple) continue;
    if (given.has(token.name)) throw usageError(`--${token.name} was given more than once: give it once`, `${PROGRAM} ${command.name} --help`);
    given.add(token.name);
  }
  if (parsed.values.help) {
    io.out(helpOf(command, summary));
    return 0;
  }
  const maxPositionals = command.positionals?.length ?? 0;
  if (parsed.positionals.length > maxPositionals) {
    const last = command.positionals?.at(-1);
    throw usageError(
      `unexpected argument "${parsed.positionals[maxPositionals]}"${last?.spaced ? ` (quote the whole ${last.name} as one argument)` : ''}`,
      `${PROGRAM} ${command.name} --help`,
    );
  }
  let config: PipelineConfig | undefined;
  return command.run({
    values: parsed.values as CommandInput['values'],
    positionals: parsed.positionals,
    io,
    env,
    json: Boolean(parsed.values.json),
    config: () => {
      if (!config) {
        config = withDataFolder(commandConfig(env), env);
        for (const warning of unknownSettingWarnings(env)) io.err(`warning: ${warning}\n`);
      }
      return config;
    },
  });
}

/** The configuration from `env`, with the repository's data as the default data directory. */
function commandConfig(env: NodeJS.ProcessEnv): PipelineConfig {
  const config = loadConfig(env);
  return env.PIPELINE_DATA_DIR ? config : { ...config, dataDir: defaultDataDir(process.cwd()) };
}

/**
 * The configuration, once its data directory is known to be a folder or absent (created when
 * first written): a file there would otherwise fail later as a bare `EEXIST` or `ENOTDIR`. A
 * path holding a backslash is refused too: DuckDB's file patterns read a backslash as a folder
 * separator, which no bracket escapes (see `duckdbLiteralPath`), so the real-time and alerts
 * views would read another folder or none. So is a path holding a folder named `name=value`, which
 * the lake views' Hive partitioning would read as a partition column.
 */
function withDataFolder(config: PipelineConfig, env: Record<string, string | undefined>): PipelineConfig {
  const which = env.PIPELINE_DATA_DIR ? 'is' : `is unset, and its default ${config.dataDir} is`;
  if (sep === '/' && resolve(config.dataDir).includes('\\')) {
    const problem = `${which} a path holding a backslash, which DuckDB reads as a folder separator (point it at a folder without one)`;
    throw new ConfigError([{ variable: 'PIPELINE_DATA_DIR', problem }], env);
  }
  // DuckDB's Hive partitioning reads every `name=value` folder of a file's path, the data directory's own included:
  // one with a single `=` after its first character, and no `?` or line break (`a=b=c`, `=x`, `a?=b` are no partition).
  const partitionLike = resolve(config.dataDir)
    .split(sep)
    .find((folder) => /^[^=?\n]+=[^=?\n]*$/.test(folder));
  if (partitionLike !== undefined) {
    const problem = `${which} a path holding the folder "${partitionLike}", which DuckDB reads as a Hive partition: a column of every view, and one that fails them when named dt (point it at a folder without "=" in its path)`;
    throw new ConfigError([{ variable: 'PIPELINE_DATA_DIR', problem }], env);
  }
  const problem = dataFolderProblem(config.dataDir);
  if (problem) throw new ConfigError([{ variable: 'PIPELINE_DATA_DIR', problem: `${which} ${problem}` }], env);
  return config;
}

/** Why `path` cannot be the data folder, or undefined when it is one or is absent (then created when first written). */
function dataFolderProblem(path: string): string | undefined {
  try {
    const kind = statSync(path, { throwIfNoEntry: false });
    if (kind && !kind.isDirectory()) return 'a file, not a folder (point it at a folder; start, run and backfill create a missing one)';
    if (!kind && lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) {
      return `a symbolic link to ${readlinkSync(path)}, which does not exist (create that folder, or point PIPELINE_DATA_DIR at a folder)`;
    }
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return 'a path through a file, which cannot hold a folder (point it at a folder; start, run and backfill create a missing one)';
    if (code === 'ELOOP') return 'a symbolic link that leads back to itself (point it at a folder)';
    return `a path that cannot be reached (${code ?? (error as Error).message}; point it at a folder this user can read)`;
  }
}
