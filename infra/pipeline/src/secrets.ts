import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { PipelineStackConfig } from './config';

/**
 * Stores the Twitch app credentials in Secrets Manager as `{"client_id", "client_secret"}`,
 * the shape the extract function reads. The values come from Pulumi secret config, so they
 * stay encrypted in the state and never appear in a plan.
 *
 * @example
 * const secret = createTwitchSecret(config);
 */
export function createTwitchSecret(config: PipelineStackConfig): aws.secretsmanager.Secret {
  const secret = new aws.secretsmanager.Secret('twitch', {
    description: 'Twitch app credentials (client-credentials flow) of the extract function',
    recoveryWindowInDays: 7,
  });
  new aws.secretsmanager.SecretVersion('twitch', {
    secretId: secret.id,
    secretString: pulumi.secret(
      pulumi.jsonStringify({ client_id: config.twitchClientId, client_secret: config.twitchClientSecret }),
    ),
  });
  return secret;
}
