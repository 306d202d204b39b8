import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';

/**
 * Refuses a pipeline stack in another region than its data stack: the functions, run in this
 * stack's region, would reach the lake and the real-time table across regions (slower, billed
 * per GB, and out of the dashboard, which reads the data stack's region). A promise, not an
 * output: the program awaits it before declaring resources, so preview fails with this message.
 * A data stack without a known `region` output is left to the `requireOutput` that reads it.
 *
 * @example
 * await assertSameRegion(new pulumi.StackReference(config.dataStack), config.dataStack);
 */
export async function assertSameRegion(data: pulumi.StackReference, dataStack: string): Promise<void> {
  const [details, own] = await Promise.all([data.getOutputDetails('region'), aws.getRegion()]);
  const dataRegion = details.value ?? details.secretValue;
  if (dataRegion === undefined || dataRegion === own.region) return;
  throw new Error(
    `the data stack ${dataStack} is in ${String(dataRegion)} and this pipeline stack in ${own.region}: both must be in one region. ` +
      `Set this stack's region with "pulumi config set aws:region ${String(dataRegion)}", or point dataStack at a data stack in ${own.region}`,
  );
}
