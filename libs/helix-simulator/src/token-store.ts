import { randomBytes } from 'node:crypto';
import type { SimulatorClock } from './virtual-clock';

interface IssuedToken {
  readonly clientId: string;
  readonly issuedAtReal: number;
  readonly issuedAtVirtual: number;
  readonly lifetimeSeconds: number;
}

/**
 * App access tokens of the client-credentials flow. A token expires when its lifetime has
 * passed on the real clock or on the population clock, so both short real-time tests and
 * virtual-time jumps see expiry.
 *
 * @example
 * const tokens = new TokenStore(clock);
 * const token = tokens.issue('client-id', 3600);
 * tokens.clientOf(token); // 'client-id' while valid, undefined once expired
 */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();
  issuedCount = 0;

  constructor(private readonly clock: SimulatorClock) {}

  issue(clientId: string, lifetimeSeconds: number): string {
    const token = [...randomBytes(30)].map((byte) => (byte % 36).toString(36)).join('');
    this.tokens.set(token, {
      clientId,
      issuedAtReal: Date.now(),
      issuedAtVirtual: this.clock.now().getTime(),
      lifetimeSeconds,
    });
    this.issuedCount += 1;
    return token;
  }

  /** The client id a valid token belongs to, or `undefined` for an unknown or expired token. */
  clientOf(token: string): string | undefined {
    return this.validate(token)?.clientId;
  }

  /** Owner and remaining lifetime of a valid token, or `undefined` for an unknown or expired one. */
  validate(token: string): { clientId: string; expiresIn: number } | undefined {
    const issued = this.tokens.get(token);
    if (!issued) return undefined;
    const lifetimeMs = issued.lifetimeSeconds * 1000;
    const age = Math.max(Date.now() - issued.issuedAtReal, this.clock.now().getTime() - issued.issuedAtVirtual);
    if (age >= lifetimeMs) {
      this.tokens.delete(token);
      return undefined;
    }
    return { clientId: issued.clientId, expiresIn: Math.floor((lifetimeMs - age) / 1000) };
  }
}
