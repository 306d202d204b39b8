import { formatDuration } from './duration';
import type { Io } from './io';

const WIDTH = 24;
const REDRAW_EVERY_MS = 100;

/**
 * A one-line progress bar on stderr. On a terminal it redraws in place; otherwise it stays
 * silent until {@link Progress.done}, which always prints one final line (logs stay readable).
 *
 * @example
 * const progress = new Progress(io, 'backfill', 48);
 * for (const step of steps) { await work(step); progress.tick(1, step.label); }
 * progress.done('48 snapshots');
 */
export class Progress {
  private completed = 0;
  private lastDraw = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly io: Io,
    private readonly label: string,
    private readonly total: number,
  ) {}

  /** Advances by `count` and shows what was just finished. */
  tick(count = 1, detail = ''): void {
    this.completed = Math.min(this.total, this.completed + count);
    if (!this.io.interactive) return;
    const now = Date.now();
    if (now - this.lastDraw < REDRAW_EVERY_MS && this.completed < this.total) return;
    this.lastDraw = now;
    this.io.err(`\r\x1b[2K${this.line(detail)}`);
  }

  /** Ends the bar with a summary line. */
  done(summary: string): void {
    const prefix = this.io.interactive ? '\r\x1b[2K' : '';
    this.io.err(`${prefix}${this.label}: ${summary} in ${formatDuration(Date.now() - this.startedAt)}\n`);
  }

  private line(detail: string): string {
    const ratio = this.total === 0 ? 1 : this.completed / this.total;
    const filled = Math.round(ratio * WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
    const percent = `${Math.floor(ratio * 100)}`.padStart(3);
    const elapsed = Date.now() - this.startedAt;
    const eta = this.completed > 0 && this.completed < this.total ? ` ~${formatDuration((elapsed / this.completed) * (this.total - this.completed))} left` : '';
    return `${this.label} ${bar} ${percent}% ${this.completed}/${this.total}${eta} ${detail}`.slice(0, 120);
  }
}
