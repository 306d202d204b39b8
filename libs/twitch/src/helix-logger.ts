/**
 * The logging the client needs; a Powertools `Logger` fits it. Nothing the client logs carries
 * a secret or a token.
 */
export interface HelixLogger {
  debug(message: string, ...extra: Record<string, unknown>[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
}

/**
 * Replaces every occurrence of the given secrets in a text, for error messages built from
 * what a server sent back.
 *
 * @example
 * scrubSecrets('bad secret abc123', ['abc123']); // 'bad secret [redacted]'
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  return secrets.filter((secret) => secret.length > 0).reduce((result, secret) => result.replaceAll(secret, '[redacted]'), text);
}
