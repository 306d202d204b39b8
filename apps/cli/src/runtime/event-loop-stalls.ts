/** How often a watch looks at the clock. */
const TICK_MS = 1_000;

/**
 * How much later than due a tick must come to count as a stall: a timer fires seconds late on a
 * machine under load while the process still runs, and a shorter stall cannot cut a slot of a
 * minute or more.
 */
const STALL_MS = 5_000;

/** The time the process did not run while watched, and the means to stop watching. */
export interface StallWatch {
  /** Milliseconds of the watched time in which the event loop did not run at all, so far (fixed once disposed of). */
  stalledMs(): number;
  dispose(): void;
}

/**
 * Watches for gaps in which the process did not run: stopped with Ctrl-Z or SIGSTOP until `fg`
 * or SIGCONT, a paused virtual machine or container, a debugger at a breakpoint, or an event loop
 * blocked. Measured on `performance.now()`, which runs on through such a gap but stands still
 * while the machine is suspended, so that a laptop's sleep is not counted: a crawl cut at a
 * resume shows that by the little time it ran. Dispose of it once the watched work is done.
 *
 * @example
 * const stalls = watchStalls();
 * try { await crawl(); } finally { stalls.dispose(); }
 * stalls.stalledMs(); // 0, or 62_000 after a minute stopped with SIGSTOP
 */
export function watchStalls(): StallWatch {
  let last = performance.now();
  let stalled = 0;
  const lateBy = (now: number) => {
    const late = now - last - TICK_MS;
    return late >= STALL_MS ? late : 0;
  };
  const timer = setInterval(() => {
    const now = performance.now();
    stalled += lateBy(now);
    last = now;
  }, TICK_MS);
  // A watch never keeps the process up for itself.
  timer.unref();
  let disposed = false;
  // The tick due since the resume may not have run yet when the deadline's timer, due at the same
  // time, ended the work first: the gap still open is counted too, until the watch is disposed of.
  const stalledMs = () => (disposed ? stalled : stalled + lateBy(performance.now()));
  return {
    stalledMs,
    dispose: () => {
      stalled = stalledMs();
      disposed = true;
      clearInterval(timer);
    },
  };
}
