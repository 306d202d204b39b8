import { tmpdir } from 'node:os';
import { isAbsolute } from 'node:path';
import { ConfigError } from '@twitch-pipeline/schemas';
import { CliError, EXIT } from './errors';
import type { Io } from './io';
import { OutputClosedError } from './output-closed-error';
import { permissionHint } from './permission-hint';
import { terminalSafeLines } from './table';

/** A full disk as Node reports it (`ENOSPC`, `EDQUOT`) and as DuckDB does for its own writes. */
const DISK_FULL = /\b(ENOSPC|EDQUOT)\b|No space left on device|Disk quota exceeded/;

function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || DISK_FULL.test(error instanceof Error ? error.message : String(error));
}

/**
 * What to do about a failure that is a full disk (an error, or the message a run record kept),
 * as indented lines; undefined for any other failure.
 *
 * @example
 * const hint = diskFullHint(record.error); // '  the disk is full: free space where …\n'
 * if (hint) io.err(hint);
 */
function diskFullHint(error: unknown): string | undefined {
  if (!isDiskFull(error)) return undefined;
  return (
    '  the disk is full: free space where the data directory is (PIPELINE_DATA_DIR) or the temporary folder\n' +
    '  (TMPDIR, where DuckDB spills), then run the command again; what it had published is whole and is kept\n'
  );
}

/**
 * DuckDB out of room for what it spills, as it says it: "Out of Memory Error: failed to offload
 * data block … set by the 'max_temp_directory_size' setting", which it sizes from the free space
 * where its temporary folder is. Memory is not what ran out, and its advice (SQL settings) is
 * none a command's user can take.
 */
const SPILL_FULL = /failed to offload data block|max_temp_directory_size/;

/**
 * What to do about DuckDB's temporary folder running out of room, as indented lines naming the
 * folder; undefined for any other failure.
 *
 * @example
 * const hint = spillFullHint(error); // "  DuckDB's temporary folder had no room left …\n"
 */
function spillFullHint(error: unknown): string | undefined {
  if (!SPILL_FULL.test(error instanceof Error ? error.message : String(error))) return undefined;
  return (
    `  DuckDB's temporary folder had no room left for what a step spills when it needs more memory than it may use\n` +
    `  (it takes up to 90 % of the free space where ${tmpdir()} is): point TMPDIR at a folder with more free space,\n` +
    '  or give the process more memory, then run the command again; what it had published is whole and is kept\n'
  );
}

/**
 * What to do about a failure, as indented lines: a full disk by where to free space, a refused
 * file by whose it is; undefined for any other failure.
 *
 * @example
 * io.err(`  failed: ${record.error}\n${failureHint(record.error) ?? ''}`);
 */
export function failureHint(error: unknown): string | undefined {
  return diskFullHint(error) ?? spillFullHint(error) ?? permissionHint(error);
}

/**
 * Tells the user why a command failed and returns its exit code: configuration and rule files
 * by what to fix, a full disk by where to free space, anything else by its message (with the
 * stack when `TWITCH_PIPELINE_DEBUG` is set). A reader that closed stdout early ends it quietly, 0.
 *
 * @example
 * return await reportError(error, processIo(), process.env); // 1
 */
export async function reportError(error: unknown, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  // Whoever read the output stopped reading (`| head`): nothing failed that anyone is waiting on.
  if (error instanceof OutputClosedError) return EXIT.ok;
  if (error instanceof ConfigError) {
    io.err(`${terminalSafeLines(error.message)}\nFix or unset these environment variables and try again (docs/cli.md lists them all).\n`);
    return EXIT.usage;
  }
  // Loaded only on this path: `--version` and `--help` need nothing of the alerts package.
  const { AlertRulesError, UnreadableAlertRulesError } = await import('@twitch-pipeline/alerts');
  if (error instanceof UnreadableAlertRulesError) {
    // npm runs the command in the repository's root, but it moves back to the folder it was typed
    // in (see moveToTypingFolder), so that is where a relative path was looked for.
    const relative = isAbsolute(error.source) ? '' : '; a relative path is read from the folder the command was typed in';
    io.err(`${terminalSafeLines(error.message)}\nPoint ALERT_RULES_FILE at a rules file this user can read, or unset it, and try again${relative}.\n`);
    return EXIT.usage;
  }
  if (error instanceof AlertRulesError) {
    const source = env.ALERT_RULES?.trim() ? 'the rules of ALERT_RULES' : 'the rules file named by ALERT_RULES_FILE';
    io.err(`${terminalSafeLines(error.message)}\nFix ${source} (or unset it) and try again.\n`);
    return EXIT.usage;
  }
  if (error instanceof CliError) {
    io.err(`error: ${terminalSafeLines(error.message)}\n${error.hint ? `${error.hint.replace(/^/gm, '  ')}\n` : ''}`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err(`error: ${terminalSafeLines(message)}\n${failureHint(error) ?? ''}`);
  if (env.TWITCH_PIPELINE_DEBUG && error instanceof Error && error.stack) io.err(`${terminalSafeLines(error.stack)}\n`);
  else io.err('  set TWITCH_PIPELINE_DEBUG=1 to see where it failed\n');
  return EXIT.failure;
}
