import { PROGRAM, programVersion, runCommand } from './cli/command';
import { EXIT } from './cli/errors';
import { type Io, processIo } from './cli/io';
import { terminalSafe } from './cli/table';
import { reportError } from './cli/report-error';
import { moveToTypingFolder } from './cli/typing-folder';
import { COMMANDS } from './commands/index';
import { claimProcessScratch } from './runtime/process-scratch';

// For the launcher (bin/cli-bundle.mjs), when the command runs from its bundle.
export { useBundledWorkers } from './runtime/typescript-worker';

/**
 * Gives the process a scratch folder of its own for the temporary files of the command and its
 * workers, removed at exit (and, after a kill, by the next command): see {@link claimProcessScratch}.
 * Called by the launcher only, so that tests running {@link main} in their own process keep theirs.
 *
 * @example
 * useProcessScratch();
 */
export function useProcessScratch(): void {
  claimProcessScratch();
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length)) + 2;
  return [
    `${PROGRAM} — the Twitch streams pipeline on this machine: collect, transform, query, chart.`,
    '',
    `Usage: ${PROGRAM} <command> [options]     (${PROGRAM} help <command> for details)`,
    `       ${PROGRAM} --version               (or -v: print the version)`,
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}${command.summary}`),
    '',
    'Configuration comes from environment variables (PIPELINE_DATA_DIR, PIPELINE_LANGUAGES, TWITCH_CLIENT_ID, …);',
    'without Twitch credentials the built-in Helix simulator is used. See docs/cli.md.',
    '',
  ].join('\n');
}

/** `help help`: help's own usage, as `help <command>` gives any command's. */
function helpOfHelp(): string {
  return [
    `${PROGRAM} help — the list of commands, or one command's usage, options and examples`,
    '',
    'Usage:',
    `  ${PROGRAM} help              (or --help, -h: the list of commands)`,
    `  ${PROGRAM} help <command>    (or <command> --help, -h <command>: that command's help)`,
    '',
    'Examples:',
    `  ${PROGRAM} help query`,
    '',
  ].join('\n');
}

function unknownCommand(name: string, io: Io): number {
  io.err(`error: unknown command "${terminalSafe(name)}"\n  commands: ${COMMANDS.map((c) => c.name).join(', ')} (see \`${PROGRAM} --help\`)\n`);
  return EXIT.usage;
}

/**
 * Runs the `twitch-pipeline` command line and returns the exit code.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: string[], io: Io = processIo(), env: NodeJS.ProcessEnv = process.env): Promise<number> {
  moveToTypingFolder(env);
  const code = await dispatch(argv, io, env);
  try {
    await io.finished?.();
  } catch (error) {
    // The output was lost: a failure even of a command that did its work. A command that failed
    // already said why (a stream of rows stopped by this very error, or a collector that went on
    // without its lines and was then stopped): its code stands.
    if (code !== EXIT.ok) return code;
    return reportError(error, io, env);
  }
  return code;
}

async function dispatch(argv: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    // `-h run` asks for run's help as `help run` does, rather than the overview with `run` dropped.
    const topic = COMMANDS.find((command) => command.name === rest[0]);
    if (topic) return dispatch([topic.name, '--help'], io, env);
    if (rest[0] === 'help') {
      io.out(helpOfHelp());
      return EXIT.ok;
    }
    if (rest[0] !== undefined && !rest[0].startsWith('-')) return unknownCommand(rest[0], io);
    // Asked for, the overview is the output; with no command at all it is the usage error's text.
    if (name === undefined) {
      io.err(overview());
      return EXIT.usage;
    }
    io.out(overview());
    return EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    if (rest.length > 0) {
      io.err(`error: ${name} takes no argument (got "${terminalSafe(rest.join(' '))}")\n  see \`${PROGRAM} --help\`\n`);
      return EXIT.usage;
    }
    io.out(`${PROGRAM} ${await programVersion()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) return unknownCommand(name, io);
  try {
    return await runCommand(await command.load(), command.summary, rest, io, env);
  } catch (error) {
    return await reportError(error, io, env);
  }
}
