import { describe, expect, it } from 'vitest';
import { collectorMemoryNote, lowMemoryNote } from '../src/runtime/memory-note';

const GiB = 2 ** 30;

describe('the note before a simulated backfill the memory may not hold', () => {
  it('names the memory available, what the channels need and how many would fit', () => {
    // act
    const note = lowMemoryNote(95_000, 1.5 * GiB);

    // assess
    expect(note).toBe(
      'note: this process may use 1,536 MiB (the machine\'s memory, or its container\'s limit); 95,000 simulated channels need about 2,241 MiB, ' +
        'and the system may stop it midway (the shell then prints only "Killed"): give it more memory, or use --channels 62000 or fewer\n',
    );
  });

  it('says nothing where the measured runs passed with room: the demo in 512 MiB, 38,000 channels in 1 GiB', () => {
    // act
    const notes = [lowMemoryNote(10_000, 512 * 2 ** 20), lowMemoryNote(38_000, GiB)];

    // assess
    expect(notes).toEqual([undefined, undefined]);
  });

  it('offers no channel count when not even the fixed part fits', () => {
    // act
    const note = lowMemoryNote(10_000, 150 * 2 ** 20);

    // assess
    expect(note).toContain('give it more memory\n');
    expect(note).not.toContain('--channels');
  });

});

describe("the note before a collector's cycles the memory may not hold", () => {
  it('names what a day of cycles at Twitch\'s size needs where one was killed: 512 MiB', () => {
    // act
    const note = collectorMemoryNote(95_000, 512 * 2 ** 20, true);

    // assess
    expect(note).toBe(
      'note: this process may use 512 MiB (the machine\'s memory, or its container\'s limit); 95,000 channels collected every cycle need about 1,035 MiB, ' +
        'and the system may stop it midway (the shell then prints only "Killed"): give it more memory, or use --channels 35000 or fewer\n',
    );
  });

  it('says nothing where a day of cycles passed, and offers no --channels for Twitch', () => {
    // act
    const passed = collectorMemoryNote(95_000, 1.5 * GiB, true);
    const twitch = collectorMemoryNote(95_000, 512 * 2 ** 20, false);

    // assess
    expect(passed).toBeUndefined();
    expect(twitch).toContain('give it more memory\n');
    expect(twitch).not.toContain('--channels');
  });
});
