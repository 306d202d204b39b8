import { namesInFolder } from '../local/durable-files';

/** Internal column of every stored line: write order, so that the latest write of a key wins. */
export const VERSION_COLUMN = '_versao';
/** Always present and empty, so that the segment glob matches even before the first write. */
export const EMPTY_SEGMENT = '0000000000000-empty.ndjson';
const SEGMENT = /^\d{13}-[0-9a-z-]+\.ndjson$/;
/** A writer starts a new segment after this many bytes or this long, so old segments can expire whole. */
export const SEGMENT_MAX_BYTES = 64 * 1024 * 1024;
/** See {@link SEGMENT_MAX_BYTES}: a segment untouched this long is one no writer appends to again. */
export const SEGMENT_MAX_AGE_MS = 60 * 60 * 1000;

/**
 * True for a segment that holds written items (not the always-empty one, nor a stray file).
 *
 * @example
 * isDataSegment('1764700000000-42-ab12cd34.ndjson'); // true
 */
export function isDataSegment(name: string): boolean {
  return SEGMENT.test(name) && name !== EMPTY_SEGMENT;
}

/**
 * The data segments in the folder `segments`, oldest first by name (a name starts with the time
 * its writer opened it).
 *
 * @example
 * const names = await dataSegmentNames('./data/realtime/segments');
 */
export async function dataSegmentNames(segments: string): Promise<string[]> {
  return (await namesInFolder(segments)).filter(isDataSegment).sort();
}

/**
 * False for a segment no writer appends to any more: this process's (its current one is skipped
 * apart) or a dead process's, named by the pid in its name. A segment of a live other process,
 * or of a name of another form, may still grow.
 *
 * @example
 * mayStillGrow(`1764700000000-${process.pid}-ab12cd34.ndjson`); // false
 */
export function mayStillGrow(name: string): boolean {
  const writer = /^\d{13}-(\d+)-/.exec(name);
  if (!writer) return true;
  const pid = Number(writer[1]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
