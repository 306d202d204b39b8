import { resolve } from 'node:path';
import { AlertRulesError } from './alert-rules-error';

/** Why a file cannot be read, in words, for the codes a mistyped or misplaced path gives. */
function reasonOf(error: NodeJS.ErrnoException, path: string): string {
  switch (error.code) {
    // ENOTDIR: a part of the path is a file, so there is no such file either.
    case 'ENOENT':
    case 'ENOTDIR':
      return `it does not exist (no file at ${path})`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied reading ${path}`;
    case 'EISDIR':
      return `it is a folder, not a file (${path})`;
    default:
      return `${error.message} (${path})`;
  }
}

/**
 * Thrown when an alert rules file cannot be read at all: missing, refused or a folder. It says
 * so in words with the absolute path looked at, since a relative one is read from the working
 * folder, which need not be the one the user has in mind; `source` stays the path as given.
 *
 * @example
 * try {
 *   loadAlertRulesSync('missing.json');
 * } catch (error) {
 *   // Cannot read the alert rules file missing.json: it does not exist (no file at /srv/app/missing.json)
 *   if (error instanceof UnreadableAlertRulesError) console.error(error.message, error.path);
 * }
 */
export class UnreadableAlertRulesError extends AlertRulesError {
  /** The absolute path looked at. */
  readonly path: string;

  constructor(source: string, error: NodeJS.ErrnoException) {
    const path = resolve(source);
    const reason = reasonOf(error, path);
    super(source, [reason], `Cannot read the alert rules file ${source}: ${reason}`);
    this.name = 'UnreadableAlertRulesError';
    this.path = path;
  }
}
