import { scheduledTime } from './cycle';

/** The longest period a collector may take, as `PIPELINE_INTERVAL_MINUTES` allows: one day. */
export const MAX_INTERVAL_MINUTES = 1440;

/**
 * How late a collector may wake for the slot it waited for and still count as woken at its start:
 * a timer fires a little after its time (seconds late on a machine under load), and the lock is
 * checked before the slot is worked out.
 */
const WAKE_GRACE_MS = 5_000;

/**
 * When a cycle's crawl gives up. A collector's cycles start on their slots and give up at the end
 * of it, so that the next one starts on time; the first cycle of a command, which may start late
 * in its slot, gets a whole period from its start.
 *
 * @example
 * cycleDeadline(new Date('2026-11-29T21:30:00Z'), new Date('2026-11-29T21:30:02Z'), 30, false); // 22:00:00Z
 */
export function cycleDeadline(slot: Date, startedAt: Date, intervalMinutes: number, first: boolean): Date {
  const period = intervalMinutes * 60_000;
  const slotEnd = slot.getTime() + period;
  return new Date(first ? Math.max(slotEnd, startedAt.getTime() + period) : slotEnd);
}

/**
 * The slot a collector takes after `slot`: the next one, even when it has begun already (a cycle
 * that ran long), unless it is over too; then the current slot, with the slots no cycle can
 * collect any more (Twitch reports only what is live now). A slot that has begun is taken only
 * while at least `crawlMs` of it is left (the last cycle's crawl): with less, its cycle would give
 * up at the slot's end having collected nothing, after asking Twitch for every page. It is then
 * missed too, and the collector waits for the slot after it. That slot, `awaited`, is taken when
 * the collector wakes within {@link WAKE_GRACE_MS} of its start, whatever the last crawl took: a
 * crawl cut at the end of its slot counts as needing the whole of one, and a collector woken a
 * few milliseconds into the slot it waited for would otherwise name it missed, and every slot
 * after it, without crawling again to learn that Twitch answers in time once more. After the
 * clock was set back by more than a period, the slot taken is the current one.
 *
 * @example
 * nextSlot(new Date('2026-11-29T21:30:00Z'), new Date('2026-11-29T22:00:40Z'), 30);
 * // { next: 2026-11-29T22:00:00Z, missed: [] }
 * nextSlot(new Date('2026-11-29T21:30:00Z'), new Date('2026-11-29T22:28:00Z'), 30, 180_000);
 * // { next: 2026-11-29T22:30:00Z, missed: [2026-11-29T22:00:00Z] }
 * nextSlot(new Date('2026-11-29T21:30:00Z'), new Date('2026-11-29T17:05:00Z'), 30); // the clock set back
 * // { next: 2026-11-29T17:00:00Z, missed: [] }
 * nextSlot(new Date('2026-11-29T21:30:00Z'), new Date('2026-11-29T22:00:00.020Z'), 30, 1_800_000, new Date('2026-11-29T22:00:00Z'));
 * // { next: 2026-11-29T22:00:00Z, missed: [] }: woken for it
 */
export function nextSlot(slot: Date, now: Date, intervalMinutes: number, crawlMs = 0, awaited?: Date): { next: Date; missed: Date[] } {
  const period = intervalMinutes * 60_000;
  const current = scheduledTime(now, intervalMinutes).getTime();
  // A clock set back by more than a period (one that ran ahead, corrected) would otherwise keep
  // the collector waiting for it to catch up, Twitch's streams of all that while lost: it goes
  // on from the current slot, as a collector started now would.
  const following = now.getTime() < slot.getTime() - period ? current : slot.getTime() + period;
  const missed: Date[] = [];
  for (let time = following; time < current; time += period) missed.push(new Date(time));
  let next = Math.max(following, current);
  const wokenFor = next === awaited?.getTime() && now.getTime() - next < WAKE_GRACE_MS;
  if (next <= now.getTime() && next + period - now.getTime() < crawlMs && !wokenFor) {
    missed.push(new Date(next));
    next += period;
  }
  return { next: new Date(next), missed };
}

/** What {@link cutCrawl} tells of a cut crawl: the time a crawl needs, and why it was cut. */
export interface CutCrawl {
  needsMs: number;
  periodTooShort: boolean;
  /** The time the process did not run that cut the crawl (0 when that was not the cause). */
  stalledMs: number;
}

/**
 * What a crawl its slot's end cut short tells of the crawls to come, from the time it had
 * (`allottedMs`, on the wall clock), the time it ran (`ranMs`, on a clock that stands still
 * while the machine is suspended, such as `performance.now()`) and the time in it the process
 * did not run at all (`stalledMs`, see `watchStalls`). One that ran most of its slot needs at
 * least that slot: the period is shorter than a crawl. One cut at a resume, having run a little
 * before the machine slept (or when the clock jumped ahead), only tells that a crawl takes at
 * least what it ran: the slot the collector woke in is still collected. So does one cut because
 * the process was stopped (Ctrl-Z, SIGSTOP, a paused virtual machine) for a tenth of its slot or
 * more, counting only the time it ran outside the stop: `stalledMs` is then that stop, which cut
 * the crawl, and the period is not at fault (it is 0 otherwise).
 *
 * @example
 * cutCrawl(60_000, 60_010); // { needsMs: 60_000, periodTooShort: true, stalledMs: 0 }
 * cutCrawl(1_800_000, 40_000); // { needsMs: 40_000, periodTooShort: false, stalledMs: 0 }: the laptop slept
 * cutCrawl(60_000, 65_000, 62_000); // { needsMs: 3_000, periodTooShort: false, stalledMs: 62_000 }: stopped
 */
export function cutCrawl(allottedMs: number, ranMs: number, stalledMs = 0): CutCrawl {
  // A shorter stall leaves the crawl most of its slot: it is the crawl's time, not the cause of the cut.
  const stalled = stalledMs >= allottedMs * 0.1;
  const running = stalled ? ranMs - stalledMs : ranMs;
  // A tenth of the slot leaves room for the two clocks drifting apart (NTP slews by 0.05% at most).
  const periodTooShort = running >= allottedMs * 0.9;
  if (periodTooShort) return { needsMs: allottedMs, periodTooShort, stalledMs: 0 };
  return { needsMs: running, periodTooShort, stalledMs: stalled ? stalledMs : 0 };
}
