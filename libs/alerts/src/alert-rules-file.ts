import type { AlertRules } from '@twitch-pipeline/schemas';
import { parseAlertRules, readAlertRulesTextSync } from './alert-rules';
import { AlertRulesError } from './alert-rules-error';

/** What {@link AlertRulesFile.check} found in a rules file that changed since it was last read. */
export type AlertRulesChange =
  | { outcome: 'reloaded'; file: string; rules: AlertRules }
  | { outcome: 'rejected'; file: string; error: AlertRulesError; kept: AlertRules };

/**
 * An alert rules file read at start, then checked again whenever its owner asks (a collector, at
 * each cycle), as a server reloads its configuration: an edit applies without a restart, and a
 * bad edit keeps the rules in force rather than leaving the collector with none or stopping it.
 * The file's whole text is its identity: rules files are small, and unlike a modification time
 * it cannot miss an edit saved twice within the clock's resolution.
 *
 * @example
 * const file = AlertRulesFile.open('rules.json'); // throws an AlertRulesError on a bad file
 * const change = file.check(); // undefined until the file changes
 */
export class AlertRulesFile {
  private constructor(
    readonly path: string,
    private current: AlertRules,
    private seen: string,
  ) {}

  /**
   * Reads and validates the file, as at start: a bad file throws an {@link AlertRulesError}.
   *
   * @example
   * const file = AlertRulesFile.open(config.alertRulesFile);
   */
  static open(path: string): AlertRulesFile {
    const text = readAlertRulesTextSync(path);
    return new AlertRulesFile(path, parseAlertRules(text, path), identity(text));
  }

  /** The rules in force: the last valid version of the file. */
  get rules(): AlertRules {
    return this.current;
  }

  /**
   * Reads the file again and, when it changed since the last check, validates it: valid rules
   * replace those in force, invalid (or unreadable) ones are rejected with the error start-up
   * would give, the rules in force kept. Undefined when the file is unchanged, so that a bad
   * file is reported once, not at every check, until it changes again.
   *
   * @example
   * const change = file.check();
   * if (change?.outcome === 'rejected') console.error(change.error.message);
   */
  check(): AlertRulesChange | undefined {
    let text: string | undefined;
    let failure: AlertRulesError | undefined;
    try {
      text = readAlertRulesTextSync(this.path);
    } catch (error) {
      failure = error as AlertRulesError;
    }
    // A file still missing is as unchanged as a file still the same.
    const seen = text === undefined ? `unreadable ${failure!.message}` : identity(text);
    if (seen === this.seen) return undefined;
    this.seen = seen;
    if (text !== undefined) {
      try {
        this.current = parseAlertRules(text, this.path);
        return { outcome: 'reloaded', file: this.path, rules: this.current };
      } catch (error) {
        if (!(error instanceof AlertRulesError)) throw error;
        failure = error;
      }
    }
    return { outcome: 'rejected', file: this.path, error: failure!, kept: this.current };
  }
}

/** Prefixed, so that no file's text is taken for a read failure. */
function identity(text: string): string {
  return `text ${text}`;
}
