/**
 * `text` as one word a POSIX shell reads back as it is: as it stands when it holds only
 * characters no shell treats specially, otherwise in single quotes (a quote in it as `'\''`).
 * A command the user is told to run names their folders, and `My Projects` or `Ana's lake` as
 * they stand would be split or leave the shell waiting for the closing quote.
 *
 * @example
 * shellWord('/data/lake'); // '/data/lake'
 * shellWord("/home/ana/Ana's lake"); // "'/home/ana/Ana'\\''s lake'"
 */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
