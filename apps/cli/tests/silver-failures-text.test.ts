import { describe, expect, it } from 'vitest';
import { describeSilverFailures } from '../src/runtime/cycle-messages';

const key = (time: string) => `raw/streams/dt=2026-12-03/20261203T${time}Z.parquet`;

/** The error a local copy onto a full disk gives for one object: its own two paths. */
const diskFull = (time: string) =>
  `ENOSPC: no space left on device, copyfile '/tmp/silver-a1/out/silver/streams/dt=2026-12-03/20261203T${time}Z.parquet' -> '/data/lake/silver/streams/dt=2026-12-03/.tmp-${time}'`;

describe('the message of a silver run that failed for some snapshots', () => {
  it('names every failed snapshot and one shared cause once', () => {
    // prepare
    const times = ['030000', '033000', '040000', '043000'];
    const failed = times.map((time) => ({ bronzeKey: key(time), error: diskFull(time) }));

    // act
    const message = describeSilverFailures(failed);

    // assess
    expect(message).toBe(`silver failed for 4 snapshots: ${times.map(key).join(', ')}: ${diskFull('030000')}`);
    expect(message.match(/ENOSPC/g)).toHaveLength(1);
  });

  it('keeps different causes apart, each with the snapshots it failed', () => {
    // prepare
    const failed = [
      { bronzeKey: key('030000'), error: diskFull('030000') },
      { bronzeKey: key('033000'), error: 'Invalid Input Error: No magic bytes found at end of file' },
      { bronzeKey: key('040000'), error: diskFull('040000') },
    ];

    // act
    const message = describeSilverFailures(failed);

    // assess
    expect(message).toBe(
      `silver failed for 3 snapshots: ${key('030000')}, ${key('040000')}: ${diskFull('030000')}; ` +
        `${key('033000')}: Invalid Input Error: No magic bytes found at end of file`,
    );
  });

  it('says "snapshot" for one', () => {
    // act
    const message = describeSilverFailures([{ bronzeKey: key('030000'), error: 'boom' }]);

    // assess
    expect(message).toBe(`silver failed for 1 snapshot: ${key('030000')}: boom`);
  });
});
