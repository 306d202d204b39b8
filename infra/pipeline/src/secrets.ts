import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { PipelineStackConfig } from './config';

/**
 * Stores the Twitch app credentials as an SSM Parameter Store SecureString holding
 * `{"client_id", "client_secret"}`, the shape the extract function reads. A standard parameter
 * encrypted with the AWS-managed key `aws/ssm` costs nothing to keep, and the extract's reads
 * (at most one per invocation) stay inside the free standard throughput; Secrets Manager would
 * add $0.40 a month for rotation features the Twitch client-credentials flow does not use. The
 * values come from Pulumi secret config, so they stay encrypted in the state and never appear
 * in a plan.
 *
 * @example
 * const parameter = createTwitchSecret(config);
 */
export function createTwitchSecret(config: PipelineStackConfig): aws.ssm.Parameter {
  return new aws.ssm.Parameter('twitch', {
    name: `/${config.prefix}/twitch-credentials`,
    description: 'Twitch app credentials (client-credentials flow) of the extract function',
    type: 'SecureString',
    tier: 'Standard',
    value: pulumi.secret(pulumi.jsonStringify({ client_id: config.twitchClientId, client_secret: config.twitchClientSecret })),
  });
}
