import type { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { MalformedCredentialsError } from '@twitch-pipeline/pipeline';
import { twitchCredentialSchema } from '@twitch-pipeline/schemas';
import { z } from 'zod';

/** The Twitch app credentials the extract needs. */
export interface TwitchCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * Seconds a warm container keeps the credentials before asking Parameter Store again: a rotated
 * value is in use within this time, and the reads (one per invocation at most) stay far inside
 * Parameter Store's free standard throughput.
 */
export const CREDENTIALS_MAX_AGE_SECONDS = 300;

const credentialsSchema = z.object({ client_id: twitchCredentialSchema, client_secret: twitchCredentialSchema });

/**
 * Reads the Twitch app credentials from an SSM Parameter Store SecureString holding
 * `{"client_id": "...", "client_secret": "..."}` (name or ARN), decrypted, parsed as JSON and
 * cached by the Powertools provider for `maxAgeSeconds`. A value of another shape throws
 * {@link MalformedCredentialsError}, which names the parameter and what is wrong with it, never
 * the value.
 *
 * @example
 * const provider = new SSMProvider();
 * const credentials = await readTwitchCredentials(provider, process.env.TWITCH_SECRET_ARN!);
 */
export async function readTwitchCredentials(
  provider: SSMProvider,
  parameter: string,
  maxAgeSeconds = CREDENTIALS_MAX_AGE_SECONDS,
): Promise<TwitchCredentials> {
  let json: unknown;
  try {
    json = await provider.get(parameter, { decrypt: true, transform: 'json', maxAge: maxAgeSeconds });
  } catch (error) {
    provider.clearCache();
    // The transform error quotes the value it could not parse: keep only its class.
    if ((error as Error).name === 'TransformParameterError') throw new MalformedCredentialsError(parameter, 'the value is not JSON');
    throw error;
  }
  const parsed = credentialsSchema.safeParse(json);
  if (!parsed.success) {
    // A malformed value must not stay cached for maxAge: the next invocation reads it afresh.
    provider.clearCache();
    // Each field named with what is wrong with it (zod's messages here never quote the value).
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'value'} ${issue.code === 'invalid_type' ? 'is missing or not text' : issue.message}`).join('; ');
    throw new MalformedCredentialsError(parameter, problems);
  }
  return { clientId: parsed.data.client_id, clientSecret: parsed.data.client_secret };
}
