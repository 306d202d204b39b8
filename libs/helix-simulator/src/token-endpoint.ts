import type { Reply } from './reply';
import type { TokenStore } from './token-store';

/** The one app registered with the simulator and the lifetime of the tokens it gets. */
export interface RegisteredApp {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly lifetimeSeconds: () => number;
}

function oauthError(status: number, message: string): Reply {
  return { status, body: { status, message } };
}

/**
 * `POST /oauth2/token` of the client-credentials flow, answering like id.twitch.tv: 400 for an
 * unknown client or grant type, 403 for a wrong secret. Never echoes a secret back.
 *
 * @example
 * tokenReply(new URLSearchParams('client_id=…&client_secret=…&grant_type=client_credentials'), app, tokens);
 */
export function tokenReply(params: URLSearchParams, app: RegisteredApp, tokens: TokenStore): Reply {
  const clientId = params.get('client_id');
  if (!clientId) return oauthError(400, 'missing client id');
  if (clientId !== app.clientId) return oauthError(400, 'invalid client');
  if (params.get('client_secret') !== app.clientSecret) return oauthError(403, 'invalid client secret');
  const grantType = params.get('grant_type');
  if (!grantType) return oauthError(400, 'missing grant_type');
  if (grantType !== 'client_credentials') return oauthError(400, 'unsupported grant type');
  const expiresIn = app.lifetimeSeconds();
  return {
    status: 200,
    body: { access_token: tokens.issue(clientId, expiresIn), expires_in: expiresIn, token_type: 'bearer' },
  };
}

/**
 * `GET /oauth2/validate` with `Authorization: OAuth <token>` (Twitch also takes `Bearer`):
 * the token's client id and remaining lifetime, or 401 for an unknown or expired token.
 *
 * @example
 * validateReply('OAuth abc…', tokens); // { status: 200, body: { client_id, scopes: [], expires_in } }
 */
export function validateReply(authorization: string | undefined, tokens: TokenStore): Reply {
  const token = /^(?:OAuth|Bearer)\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  const valid = token ? tokens.validate(token) : undefined;
  if (!valid) return oauthError(401, 'invalid access token');
  return { status: 200, body: { client_id: valid.clientId, scopes: [], expires_in: valid.expiresIn } };
}
