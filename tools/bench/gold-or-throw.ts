import { type GoldOptions, type GoldSummary, runGold } from '@twitch-pipeline/pipeline';

/**
 * The gold step for a benchmark: a date that failed is thrown, so that no figure is printed for
 * work that was not done (the step itself reports failed dates and goes on with the others).
 *
 * @example
 * const gold = await runGoldOrThrow({ store, dates: silver.dates });
 */
export async function runGoldOrThrow(options: GoldOptions): Promise<GoldSummary> {
  const gold = await runGold(options);
  if (gold.failed.length > 0) throw new Error(`gold failed: ${gold.failed.map((failure) => `${failure.date}: ${failure.error}`).join('; ')}`);
  return gold;
}
