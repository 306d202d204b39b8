import { formatDuration } from '../cli/duration';
import type { CutCrawl } from './cycle-schedule';

/**
 * What a collector says of a crawl its slot's end cut short, after the cycle's failure: that the
 * period is too short, or that the process was stopped (then a longer period would not have
 * helped), or nothing after a laptop's sleep, which the slots named missed already tell.
 * `allottedMs` is the time the crawl had.
 *
 * @example
 * cutCrawlNote({ needsMs: 60_000, periodTooShort: true, stalledMs: 0 }, 60_000);
 * // '  the crawl did not end within its slot (1 min 0 s): a period shorter than a crawl collects nothing; …'
 * cutCrawlNote({ needsMs: 3_000, periodTooShort: false, stalledMs: 62_000 }, 60_000);
 * // '  the crawl did not end within its slot (1 min 0 s): the process was stopped or stalled for 1 min 2 s …'
 */
export function cutCrawlNote(cut: CutCrawl, allottedMs: number): string {
  const slot = `  the crawl did not end within its slot (${formatDuration(allottedMs)})`;
  if (cut.periodTooShort) return `${slot}: a period shorter than a crawl collects nothing; choose a longer one (--every, PIPELINE_INTERVAL_MINUTES)\n`;
  if (cut.stalledMs === 0) return '';
  return (
    `${slot}: the process was stopped or stalled for ${formatDuration(cut.stalledMs)} (Ctrl-Z, SIGSTOP, a paused virtual ` +
    `machine or container, a debugger), so the slot could not be collected; the period is not at fault, and the crawl counts ` +
    `as needing only the ${formatDuration(cut.needsMs)} it ran\n`
  );
}
