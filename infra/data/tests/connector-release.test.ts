import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  compareConnectorReleases,
  DYNAMODB_CONNECTOR_MIN_RELEASE,
  DYNAMODB_CONNECTOR_RELEASE,
  supportedConnectorRelease,
} from '../src/connector-release';

function pinnedIn(stackFile: string): string {
  const text = readFileSync(fileURLToPath(new URL(`../${stackFile}`, import.meta.url)), 'utf8');
  const match = /^\s+twitch-pipeline-data:dynamodbConnectorVersion:\s*"?([^"\s]+)"?\s*$/m.exec(text);
  if (!match) throw new Error(`${stackFile} does not set dynamodbConnectorVersion`);
  return match[1]!;
}

describe('Athena DynamoDB connector release', () => {
  it.each(['Pulumi.dev.yaml', 'Pulumi.prod.yaml'])('%s pins a container-image release, not an older java11 zip one', (stackFile) => {
    // prepare
    const pinned = pinnedIn(stackFile);
    // act
    const order = compareConnectorReleases(pinned, DYNAMODB_CONNECTOR_MIN_RELEASE);
    // assess
    expect(order, `${stackFile} pins ${pinned}, older than ${DYNAMODB_CONNECTOR_MIN_RELEASE}`).toBeGreaterThanOrEqual(0);
    expect(pinned).toBe(DYNAMODB_CONNECTOR_RELEASE);
  });

  it('defaults to a release no older than the minimum', () => {
    // act
    const order = compareConnectorReleases(DYNAMODB_CONNECTOR_RELEASE, DYNAMODB_CONNECTOR_MIN_RELEASE);
    // assess
    expect(order).toBeGreaterThanOrEqual(0);
    expect(supportedConnectorRelease(DYNAMODB_CONNECTOR_RELEASE)).toBe(DYNAMODB_CONNECTOR_RELEASE);
  });

  it('rejects the last java11 zip releases with a message naming the minimum and the reason', () => {
    // prepare
    const zipReleases = ['2023.46.2', '2024.38.1'];
    // act
    const attempts = zipReleases.map((release) => () => supportedConnectorRelease(release));
    // assess
    for (const attempt of attempts) expect(attempt).toThrow(/older than 2024\.42\.1.*java11 zip function/);
  });

  it('dates the java11 block in its refusal as Lambda schedules it, a year later than Amazon Linux 2 ended', () => {
    // act
    const attempt = () => supportedConnectorRelease('2024.38.1');
    // assess
    expect(attempt).toThrow(/creates java11 functions until 2027-07-31 and updates them until 2027-08-31/);
    expect(attempt).not.toThrow(/no longer creates/);
  });

  it('orders releases by number, not by text', () => {
    // act
    const weekNine = compareConnectorReleases('2025.9.1', '2025.10.1');
    const patch = compareConnectorReleases('2024.42.10', '2024.42.2');
    // assess
    expect(weekNine).toBeLessThan(0);
    expect(patch).toBeGreaterThan(0);
    expect(compareConnectorReleases('2026.33.1', '2026.33.1')).toBe(0);
  });

  it('rejects a value that is not a release number', () => {
    // act
    const attempt = () => supportedConnectorRelease('latest');
    // assess
    expect(attempt).toThrow(/not of the form YEAR\.WEEK\.N/);
  });
});
