/**
 * The logging the client needs; a Powertools `Logger` fits it. Nothing the client logs carries
 * a secret or a token.
 */
export interface HelixLogger {
  debug(message: string, ...extra: Record<string, unknown>[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
}
