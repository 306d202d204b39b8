/**
 * Pinned Serverless Application Repository release of `AthenaDynamoDBConnector`: a container
 * image (Java 11 on the Amazon Linux 2023 Lambda base image) pulled from the connector
 * publisher's ECR repository in the stack's region.
 */
export const DYNAMODB_CONNECTOR_RELEASE = '2026.33.1';

/**
 * Oldest release the stack deploys: the first one packaged as a container image. Every older
 * release deploys a `java11` zip function on Amazon Linux 2, which has had only critical and
 * selected important fixes since that OS ended on 2026-06-30; Lambda deprecates java11 on
 * 2027-06-30 and refuses to create java11 functions from 2027-07-31 (to update them from
 * 2027-08-31), after which a data stack on such a release could no longer be created.
 */
export const DYNAMODB_CONNECTOR_MIN_RELEASE = '2024.42.1';

const RELEASE = /^(\d+)\.(\d+)\.(\d+)$/;

function parts(release: string): [number, number, number] {
  const match = RELEASE.exec(release);
  if (!match) throw new Error(`connector release "${release}" is not of the form YEAR.WEEK.N (e.g. ${DYNAMODB_CONNECTOR_RELEASE})`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/**
 * Orders two connector releases (`YEAR.WEEK.N`, compared numerically part by part):
 * negative when `a` is older, zero when equal, positive when newer.
 *
 * @example
 * compareConnectorReleases('2024.42.1', '2023.46.2'); // > 0
 */
export function compareConnectorReleases(a: string, b: string): number {
  const left = parts(a);
  const right = parts(b);
  for (let index = 0; index < 3; index += 1) {
    const difference = left[index]! - right[index]!;
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * Returns the release when the stack can deploy it; throws naming the minimum and why otherwise.
 *
 * @example
 * supportedConnectorRelease('2026.33.1'); // '2026.33.1'
 * supportedConnectorRelease('2023.46.2'); // throws: older than 2024.42.1 ...
 */
export function supportedConnectorRelease(release: string): string {
  if (compareConnectorReleases(release, DYNAMODB_CONNECTOR_MIN_RELEASE) < 0) {
    throw new Error(
      `dynamodbConnectorVersion ${release} is older than ${DYNAMODB_CONNECTOR_MIN_RELEASE}, the first container-image release of ` +
        'AthenaDynamoDBConnector: older releases deploy a java11 zip function on Amazon Linux 2, patched only for critical and selected ' +
        'important issues since 2026-06-30, and Lambda creates java11 functions until 2027-07-31 and updates them until 2027-08-31. ' +
        `Set it to ${DYNAMODB_CONNECTOR_RELEASE} or newer (see docs/deploy.md).`,
    );
  }
  return release;
}

/** Parameters the pinned release's SAM template declares (`athena-dynamodb/athena-dynamodb.yaml`). */
export const DYNAMODB_CONNECTOR_PARAMETERS = [
  'AthenaCatalogName',
  'SpillBucket',
  'SpillPrefix',
  'LambdaTimeout',
  'LambdaMemory',
  'LambdaRole',
  'DisableSpillEncryption',
  'KMSKeyId',
  'PermissionsBoundaryARN',
] as const;
export type DynamodbConnectorParameter = (typeof DYNAMODB_CONNECTOR_PARAMETERS)[number];
