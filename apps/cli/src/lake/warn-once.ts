/** Warnings this process already wrote: a served dashboard opens a session per page load. */
const written = new Set<string>();

/**
 * Writes `text` with `warn` unless this process already wrote it.
 *
 * @example
 * warnOnce('warning: …\n', (text) => process.stderr.write(text));
 */
export function warnOnce(text: string, warn: (text: string) => void): void {
  if (written.has(text)) return;
  written.add(text);
  warn(text);
}
