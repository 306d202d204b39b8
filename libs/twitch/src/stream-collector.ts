/** Identity of a record: its stream id, or its whole content when the id is missing or garbled. */
function keyOf(record: unknown): string {
  const id = record && typeof record === 'object' ? (record as { id?: unknown }).id : undefined;
  if (typeof id === 'string' || typeof id === 'number') return `id:${id}`;
  return `record:${JSON.stringify(record)}`;
}

/** One pass of one language from its first page; knows which records this pass has seen. */
export interface CollectorPass {
  /**
   * Adds a page's records (new ones only, up to `cap` per language) and says whether the page
   * looks like the first page again: every record already seen in this pass, or the pass's
   * very first record back on a page mostly seen already (streams going live meanwhile may fill
   * the top of a looped page). The first record alone is no loop: a top stream whose audience
   * leaves mid-crawl (a raid) sinks to a later page, and the listing goes on past it.
   */
  add(records: readonly unknown[], cap: number): { looped: boolean };
}

/**
 * Keeps each stream once across every language and every restart of a crawl (list drift
 * repeats streams at page boundaries), in the order they were first seen.
 *
 * @example
 * const collector = new StreamCollector();
 * collector.startPass('pt').add(page.data, Infinity);
 * collector.recordsOf('pt');
 */
export class StreamCollector {
  private readonly seen = new Set<string>();
  private readonly byLanguage = new Map<string, unknown[]>();

  /** Begins a pass of `language` from its first page. */
  startPass(language: string): CollectorPass {
    const passSeen = new Set<string>();
    const records = this.listOf(language);
    let firstKey: string | undefined;
    return {
      add: (page, cap) => {
        let fresh = 0;
        let backAtStart = false;
        for (const record of page) {
          const key = keyOf(record);
          if (firstKey === undefined) firstKey = key;
          else if (key === firstKey) backAtStart = true;
          if (!passSeen.has(key)) fresh += 1;
          passSeen.add(key);
          if (this.seen.has(key) || records.length >= cap) continue;
          this.seen.add(key);
          records.push(record);
        }
        const seenBefore = page.length - fresh;
        return { looped: page.length > 0 && (fresh === 0 || (backAtStart && 2 * seenBefore >= page.length)) };
      },
    };
  }

  /** Distinct records collected for `language`. */
  countOf(language: string): number {
    return this.listOf(language).length;
  }

  /** The records collected for `language`, in the order first seen. */
  recordsOf(language: string): unknown[] {
    return [...this.listOf(language)];
  }

  private listOf(language: string): unknown[] {
    let records = this.byLanguage.get(language);
    if (!records) {
      records = [];
      this.byLanguage.set(language, records);
    }
    return records;
  }
}
