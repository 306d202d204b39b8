import type { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { MalformedCredentialsError, UnreadableCredentialsError } from '@twitch-pipeline/pipeline';
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

// `--refresh`, because a parameter deleted or a setting changed outside Pulumi is still in the
// stack's state as it was, and a plain `up` finds nothing to do.
const STORE_AGAIN =
  'set the credentials in infra/pipeline if they are not (`pulumi config set --secret twitchClientId` and `pulumi config set --secret twitchClientSecret`), then run ' +
  '`npx nx run infra-pipeline:up -- --refresh`, which stores the parameter again and points TWITCH_SECRET_ARN at it (docs/deploy.md, "3. Pipeline stack")';
const GRANT_AGAIN =
  "run `npx nx run infra-pipeline:up -- --refresh`, which grants the extract's role ssm:GetParameter on the parameter the stack stores and points TWITCH_SECRET_ARN at it";
const KMS_REFUSED = "KMS will not decrypt it for the function's role";
const DECRYPT_AGAIN =
  "the stack stores it under the AWS-managed key aws/ssm, which needs no grant: give the extract's role kms:Decrypt on the key it is under now, " +
  'or delete the parameter and run `npx nx run infra-pipeline:up -- --refresh`, which stores it again under aws/ssm';
/** SSM passes KMS's refusal on as its own AccessDeniedException; only the message tells them apart. */
const KMS_DENIAL = /kms:|AWSKMS|customer master key/i;

/**
 * What an answer of Parameter Store that a retry would get again means and what to do about it,
 * by the SDK's exception name; undefined for the rest (a throttle, a server error, a network
 * failure), which a retry may get past.
 */
function refusal(answer: Error): { problem: string; remedy: string } | undefined {
  switch (answer.name) {
    case 'ParameterNotFound':
      return { problem: 'it does not exist', remedy: STORE_AGAIN };
    case 'ParameterVersionNotFound':
      return { problem: 'the version it names does not exist', remedy: STORE_AGAIN };
    case 'InvalidKeyId':
      return { problem: KMS_REFUSED, remedy: DECRYPT_AGAIN };
    case 'AccessDeniedException':
      return KMS_DENIAL.test(answer.message) ? { problem: KMS_REFUSED, remedy: DECRYPT_AGAIN } : { problem: "the function's role may not read it", remedy: GRANT_AGAIN };
    default:
      return undefined;
  }
}

/** The Powertools read error as an {@link UnreadableCredentialsError} when a retry cannot mend it, else undefined. */
function unreadable(parameter: string, error: unknown): UnreadableCredentialsError | undefined {
  const answer = (error as { cause?: unknown }).cause;
  if ((error as Error).name !== 'GetParameterError' || !(answer instanceof Error)) return undefined;
  const found = refusal(answer);
  if (!found) return undefined;
  // The SDK's message for an answer that had none (ParameterNotFound, InvalidKeyId) says only that.
  const answered = answer.message && answer.message !== 'UnknownError' ? `${answer.name}: ${answer.message}` : answer.name;
  return new UnreadableCredentialsError(parameter, `${found.problem} (${answered})`, found.remedy, { cause: answer });
}

/**
 * Reads the Twitch app credentials from an SSM Parameter Store SecureString holding
 * `{"client_id": "...", "client_secret": "..."}` (name or ARN), decrypted, parsed as JSON and
 * cached by the Powertools provider for `maxAgeSeconds`. A value of another shape throws
 * {@link MalformedCredentialsError}, which names the parameter and what is wrong with it, never
 * the value. A parameter SSM will not hand over (missing, not readable by the role, not
 * decryptable by KMS) throws {@link UnreadableCredentialsError}, naming it and what to do; any
 * other failure to read it (a throttle, an SSM server error, the network) is thrown as the
 * provider raised it.
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
    throw unreadable(parameter, error) ?? error;
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
