import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';

/** The Twitch app credentials the extract needs. */
export interface TwitchCredentials {
  clientId: string;
  clientSecret: string;
}

const secretSchema = z.object({ client_id: z.string().min(1), client_secret: z.string().min(1) });

/**
 * Reads the Twitch app credentials from a Secrets Manager secret holding
 * `{"client_id": "...", "client_secret": "..."}`. Errors name the secret and what is wrong with
 * its shape, never its values.
 *
 * @example
 * const credentials = await readTwitchCredentials(new SecretsManagerClient({}), process.env.TWITCH_SECRET_ARN!);
 */
export async function readTwitchCredentials(client: SecretsManagerClient, secretArn: string): Promise<TwitchCredentials> {
  const response = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  if (response.SecretString === undefined) throw new Error(`secret ${secretArn} has no string value`);
  let json: unknown;
  try {
    json = JSON.parse(response.SecretString);
  } catch {
    throw new Error(`secret ${secretArn} is not JSON: expected {"client_id": ..., "client_secret": ...}`);
  }
  const parsed = secretSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`secret ${secretArn} lacks a non-empty ${fields}: expected {"client_id": ..., "client_secret": ...}`);
  }
  return { clientId: parsed.data.client_id, clientSecret: parsed.data.client_secret };
}
