/**
 * The signals that ask a command to stop, each handled alike: Ctrl-C (SIGINT), `kill` or a service
 * manager (SIGTERM), and a terminal closed or an SSH session dropped under it (SIGHUP). Node's
 * default for each ends the process on the spot, leaving the data directory's lock, no run
 * record and an export's temporary file behind.
 *
 * @example
 * for (const signal of STOP_SIGNALS) process.on(signal, onStop);
 */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The longest single timer of {@link StopSignal.sleepUntil}. */
const SLEEP_STEP_MS = 60_000;

/** A signal that aborts once the wall clock reaches a time, and the means to stop watching it. */
export interface WallClockDeadline {
  signal: AbortSignal;
  dispose(): void;
}

/**
 * An abort signal for a wall-clock deadline (epoch ms), aborted with a `TimeoutError` as
 * `AbortSignal.timeout`'s is. Not `AbortSignal.timeout` itself: its timer stands still while the
 * machine is suspended, so a cycle in progress when a laptop slept would run on past its slot's
 * end after the resume, by as long as the machine slept. Checked against the wall clock in steps
 * of at most a minute, as {@link StopSignal.sleepUntil} waits. Dispose of it once the work is
 * done, or its timer keeps going until the deadline.
 *
 * @example
 * const deadline = abortAt(slotEnd.getTime());
 * try { await crawl({ signal: deadline.signal }); } finally { deadline.dispose(); }
 */
export function abortAt(time: number): WallClockDeadline {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    const left = time - Date.now();
    if (left <= 0) controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    else timer = setTimeout(check, Math.min(left, SLEEP_STEP_MS));
  };
  check();
  return { signal: controller.signal, dispose: () => clearTimeout(timer) };
}

/**
 * How soon a repeat of the signal counts as the same one: `timeout` signals both the command and
 * its process group, and the two are handled together; no person presses Ctrl-C twice that fast.
 */
const REPEAT_WINDOW_MS = 50;

/**
 * Tracks the {@link STOP_SIGNALS} for long-running commands: the first signal asks the work to stop at a
 * safe point (`stopping` becomes true, `stopped` resolves); a second one ends the process at once,
 * by the signal itself (the data directory's lock released first). Not `process.exit`: that tears
 * down worker threads mid-query, and DuckDB's bindings abort the process when a query ends there.
 *
 * @example
 * const stop = new StopSignal();
 * while (!stop.stopping) await cycle();
 * stop.dispose();
 */
export class StopSignal {
  stopping = false;
  private readonly asked = new AbortController();
  /** Aborted at the first signal, for work that can end early but cleanly (a crawl's retries). */
  readonly requested: AbortSignal = this.asked.signal;
  /** The signal received, once one is. */
  signal?: NodeJS.Signals;
  readonly stopped: Promise<void>;
  private resolve!: () => void;
  private receivedAt = 0;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    if (this.stopping) {
      if (Date.now() - this.receivedAt < REPEAT_WINDOW_MS) return;
      this.dispose();
      process.kill(process.pid, signal);
      return;
    }
    this.receivedAt = Date.now();
    this.stopping = true;
    this.signal = signal;
    this.asked.abort(new Error(`${signal} received`));
    this.onStop?.(signal);
    this.resolve();
  };

  constructor(private readonly onStop?: (signal: NodeJS.Signals) => void) {
    this.stopped = new Promise((resolve) => {
      this.resolve = resolve;
    });
    for (const signal of STOP_SIGNALS) process.on(signal, this.onSignal);
  }

  /**
   * Waits until the wall clock reaches `time` (epoch ms), or less when a stop is asked for or
   * the wall clock is set back (the caller works its target out again: waiting for the clock to
   * catch up would idle for as long as it was ahead); resolves true when stopping. Node's timers
   * run on a clock that stands still while the machine is suspended, so one long timer would wake
   * up to an interval after a laptop resumes; waiting in steps of at most a minute against the
   * wall clock wakes up within a minute.
   *
   * @example
   * if (await stop.sleepUntil(nextSlot.getTime())) break;
   */
  async sleepUntil(time: number): Promise<boolean> {
    while (!this.stopping && Date.now() < time) {
      const before = Date.now();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.stopped, new Promise((resolve) => (timer = setTimeout(resolve, Math.min(time - before, SLEEP_STEP_MS))))]);
      clearTimeout(timer);
      if (Date.now() < before) break;
    }
    return this.stopping;
  }

  dispose(): void {
    for (const signal of STOP_SIGNALS) process.off(signal, this.onSignal);
  }
}
