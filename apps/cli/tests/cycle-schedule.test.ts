import { describe, expect, it } from 'vitest';
import { cutCrawl, cycleDeadline, nextSlot } from '../src/runtime/cycle-schedule';

const at = (time: string) => new Date(`2026-11-29T${time}Z`);

describe('nextSlot', () => {
  it('takes the slot after the one collected, even when the cycle finished inside it', () => {
    // act: slot 20:00 collected from 20:00:57 to 20:01:00 (a 1-minute period)
    const after = nextSlot(at('20:00:00'), at('20:01:00'), 1);

    // assess: 20:01 is taken at once, not skipped for 20:02
    expect(after).toEqual({ next: at('20:01:00'), missed: [] });
  });

  it('waits for the next slot when the cycle ended early in its own', () => {
    // act
    const after = nextSlot(at('21:30:00'), at('21:31:10'), 30);

    // assess
    expect(after).toEqual({ next: at('22:00:00'), missed: [] });
  });

  it('names the slots a cycle ran past, and goes on with the current one', () => {
    // act: slot 21:00 of 15 minutes ran until 21:50
    const after = nextSlot(at('21:00:00'), at('21:50:00'), 15);

    // assess
    expect(after).toEqual({ next: at('21:45:00'), missed: [at('21:15:00'), at('21:30:00')] });
  });

  it('misses a begun slot with less left of it than the last crawl took, and waits for the one after', () => {
    // act: slot 21:30 of 30 minutes ran until 22:28; its crawl took 3 minutes
    const after = nextSlot(at('21:30:00'), at('22:28:00'), 30, 180_000);

    // assess: 22:00 would give up at 22:30 with nothing collected
    expect(after).toEqual({ next: at('22:30:00'), missed: [at('22:00:00')] });
  });

  it('takes a begun slot while as much of it is left as the last crawl took', () => {
    // act
    const after = nextSlot(at('21:30:00'), at('22:27:00'), 30, 180_000);

    // assess
    expect(after).toEqual({ next: at('22:00:00'), missed: [] });
  });

  it('misses the current slot too, after slots the machine slept through, when too little of it is left', () => {
    // act: woke at 23:29 after the 21:30 cycle, the last crawl 2 minutes
    const after = nextSlot(at('21:30:00'), at('23:29:00'), 30, 120_000);

    // assess
    expect(after).toEqual({ next: at('23:30:00'), missed: [at('22:00:00'), at('22:30:00'), at('23:00:00')] });
  });

  it('goes on from the current slot after the clock was set back by more than a period', () => {
    // act: the 21:30 cycle ran on a clock three hours ahead, then corrected to 18:35
    const after = nextSlot(at('21:30:00'), at('18:35:00'), 30);

    // assess: 18:30 is collected at once, not 22:00 three and a half hours later
    expect(after).toEqual({ next: at('18:30:00'), missed: [] });
  });

  it('keeps waiting for the slot after the one collected when the clock was set back by less than a period', () => {
    // act: the 21:30 cycle ended and the clock was stepped back to 21:29:50
    const after = nextSlot(at('21:30:00'), at('21:29:50'), 30);

    // assess: the slots before, already collected, are not collected again
    expect(after).toEqual({ next: at('22:00:00'), missed: [] });
  });
});

describe('cycleDeadline', () => {
  it('ends a collector\'s cycle with its slot, so the next starts on time', () => {
    // act: a cycle of slot 21:30 that started late, at 21:44, after the one before ran long
    const deadline = cycleDeadline(at('21:30:00'), at('21:44:00'), 30, false);

    // assess
    expect(deadline).toEqual(at('22:00:00'));
  });

  it('gives the first cycle a whole period, however late in its slot it starts', () => {
    // act
    const deadline = cycleDeadline(at('21:30:00'), at('21:59:00'), 30, true);

    // assess
    expect(deadline).toEqual(at('22:29:00'));
  });
});

describe('cutCrawl', () => {
  it('takes a crawl that ran its whole slot for one the period is too short for', () => {
    // act: a one-minute slot, run to its end
    const cut = cutCrawl(60_000, 60_004);

    // assess: no slot begun is started again
    expect(cut).toEqual({ needsMs: 60_000, periodTooShort: true, stalledMs: 0 });
    expect(nextSlot(at('21:30:00'), at('21:31:00.500'), 1, cut.needsMs).next).toEqual(at('21:32:00'));
  });

  it('collects the slot a collector woke for after a crawl that ran its whole slot, and names no slot missed', () => {
    // prepare: the first cycle's crawl, given a whole minute, was cut at its end; 21:31 was missed
    const cut = cutCrawl(60_000, 60_004);

    // act: woken 20 ms after 21:32, the slot it waited for
    const after = nextSlot(at('21:31:00'), at('21:32:00.020'), 1, cut.needsMs, at('21:32:00'));

    // assess: the crawl is tried again rather than every later slot named missed
    expect(after).toEqual({ next: at('21:32:00'), missed: [] });
  });

  it('collects the slot it woke for seconds late, as a timer fires on a machine under load, but not once the grace is over', () => {
    // prepare: the first cycle's crawl, given a whole minute, was cut at its end; 21:31 was missed
    const cut = cutCrawl(60_000, 60_004);

    // act: woken 4.9 s and 5 s after 21:32, the slot it waited for
    const late = nextSlot(at('21:31:00'), at('21:32:04.900'), 1, cut.needsMs, at('21:32:00'));
    const tooLate = nextSlot(at('21:31:00'), at('21:32:05'), 1, cut.needsMs, at('21:32:00'));

    // assess
    expect(late).toEqual({ next: at('21:32:00'), missed: [] });
    expect(tooLate).toEqual({ next: at('21:33:00'), missed: [at('21:32:00')] });
  });

  it('still waits for the slot after one it woke for late, after a crawl that ran its whole slot', () => {
    // act: the machine slept through the start of 21:32, the slot waited for, until 21:32:30
    const after = nextSlot(at('21:31:00'), at('21:32:30'), 1, 60_000, at('21:32:00'));

    // assess
    expect(after).toEqual({ next: at('21:33:00'), missed: [at('21:32:00')] });
  });

  it('still collects the slot a laptop woke in after its crawl was cut at the resume', () => {
    // act: the 21:30 crawl ran 40 s, the machine slept until 23:48, and the slot's end had passed
    const cut = cutCrawl(30 * 60_000, 40_000);

    // assess: what it ran is all a crawl is known to need, and 12 minutes are left of 23:30
    expect(cut).toEqual({ needsMs: 40_000, periodTooShort: false, stalledMs: 0 });
    expect(nextSlot(at('21:30:00'), at('23:48:00'), 30, cut.needsMs)).toEqual({ next: at('23:30:00'), missed: [at('22:00:00'), at('22:30:00'), at('23:00:00')] });
  });

  it('blames a stop of the process for a crawl cut after it, and still collects the slot it resumed in', () => {
    // act: the 21:30 crawl of a one-minute slot ran 3 s, was stopped with SIGSTOP for 62 s, and cut at its resume
    const cut = cutCrawl(60_000, 65_000, 62_000);

    // assess: what it ran outside the stop is all a crawl is known to need, and 55 s are left of 21:31
    expect(cut).toEqual({ needsMs: 3_000, periodTooShort: false, stalledMs: 62_000 });
    expect(nextSlot(at('21:30:00'), at('21:31:05'), 1, cut.needsMs)).toEqual({ next: at('21:31:00'), missed: [] });
  });

  it('still takes the period for too short when the crawl ran most of its slot besides a stall', () => {
    // act: stalled for 6 s and for 5 s of a one-minute slot, the crawl ran the rest of it and was cut
    const stalledLong = cutCrawl(60_000, 60_004, 6_000);
    const stalledBriefly = cutCrawl(60_000, 60_004, 5_000);

    // assess: 54 s of crawling is most of the slot, and a stall under a tenth of it is the crawl's own time
    expect(stalledLong).toEqual({ needsMs: 60_000, periodTooShort: true, stalledMs: 0 });
    expect(stalledBriefly).toEqual({ needsMs: 60_000, periodTooShort: true, stalledMs: 0 });
  });
});
