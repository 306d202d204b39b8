import '../product-allocator';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine } from '@twitch-pipeline/duckdb';
import { POPULATION_SHAPES, type PopulationShape, startHelixSimulator } from '@twitch-pipeline/helix-simulator';
import { extractSnapshot, runSilver } from '@twitch-pipeline/pipeline';
import { duckdbLiteralPath, GOLD_TABLES, goldKey, LAKE_PREFIXES } from '@twitch-pipeline/schemas';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { countArgument, exitWithUsage } from '../bench-args';
import { runGoldOrThrow } from '../gold-or-throw';

// Accuracy of hours watched: for each collection interval and population shape, simulate a
// local day of snapshots on the simulator's virtual clock, run the real extract, silver and gold
// steps, and compare the day's hours watched with the simulator's ground truth (the exact
// integral of viewers over the day). The extract reads the simulator's true live list at each
// instant (no faults, no paging drift), so the error measured is the estimator's alone.
// Intervals (minutes) and shapes are comma lists, by default every one.
const USAGE = `npx tsx tools/bench/accuracy/hours-watched.ts [averageLiveChannels] [seed] [intervals] [shapes: ${POPULATION_SHAPES.join(',')}]`;
const channels = countArgument(process.argv[2], 2_000, 'averageLiveChannels', USAGE);
const seed = Number(process.argv[3] ?? 7);
if (!Number.isInteger(seed)) exitWithUsage(USAGE, `seed must be a whole number, not "${process.argv[3]}"`);
const intervals = (process.argv[4] ?? '15,30,60').split(',').map((interval) => countArgument(interval, 0, 'each interval', USAGE));
const shapes = (process.argv[5]?.split(',') ?? POPULATION_SHAPES) as PopulationShape[];
const unknownShape = shapes.find((shape) => !POPULATION_SHAPES.includes(shape));
if (unknownShape !== undefined) exitWithUsage(USAGE, `no population shape "${unknownShape}"`);
const TIME_ZONE = 'America/Sao_Paulo';
const DATE = '2026-03-10';
const DAY_START = new Date('2026-03-10T03:00:00Z');
const DAY_END = new Date('2026-03-11T03:00:00Z');
const MINUTE = 60_000;

interface DayFigures {
  truth: number;
  /** Gold horas_assistidas of every daily table (they must agree). */
  gold: Record<string, number>;
  /** Σ silver horas_assistidas of the date: each sample's cell (see silver_streams.sql). */
  silver: number;
  /** The estimate before silver's cells and gold's joined snapshots: each sample's step, min(interval, minutes live). */
  step: number;
  /** Σ silver horas_assistidas_total of the date: the original system's formula. */
  original: number;
}

async function measureDay(shape: PopulationShape, intervalMinutes: number): Promise<DayFigures> {
  const directory = await mkdtemp(join(tmpdir(), 'accuracy-'));
  const first = new Date(DAY_START.getTime() - 2 * intervalMinutes * MINUTE);
  const sim = await startHelixSimulator({ seed, averageLiveChannels: channels, populationShape: shape, startTime: first });
  try {
    const store = new LocalObjectStore(join(directory, 'lake'));
    const source = {
      at: first,
      async crawlStreams() {
        const records = sim.liveStreams(this.at).map((record) => ({ queryLanguage: 'all', record }));
        return { records, pages: 1, retries: 0, rateLimited: 0, durationMs: 0 };
      },
    };
    const config = { languages: ['all'], intervalMinutes, timeZone: TIME_ZONE };
    for (let at = first.getTime(); at <= DAY_END.getTime() + intervalMinutes * MINUTE; at += intervalMinutes * MINUTE) {
      source.at = new Date(at);
      await extractSnapshot({ source, store, config, collectedAt: source.at, backfill: true });
    }
    const silver = await runSilver({ store, timeZone: TIME_ZONE });
    if (silver.failed.length > 0) throw new Error(`silver failed: ${JSON.stringify(silver.failed)}`);
    await runGoldOrThrow({ store, dates: silver.dates });

    const engine = await DuckDbEngine.open();
    try {
      const gold: Record<string, number> = {};
      for (const table of Object.keys(GOLD_TABLES)) {
        const [row] = await engine.all<{ h: number }>('SELECT sum(horas_assistidas) AS h FROM read_parquet($path)', {
          path: duckdbLiteralPath(store.pathOf(goldKey(table as keyof typeof GOLD_TABLES, DATE))),
        });
        gold[table] = row?.h ?? 0;
      }
      const [sums] = await engine.all<{ silver: number; step: number; original: number }>(
        `SELECT sum(horas_assistidas) AS silver,
                sum(espectadores * least(intervalo_coleta_minutos, duracao_minutos) / 60) AS step,
                sum(horas_assistidas_total) AS original
         FROM read_parquet($path)`,
        { path: `${duckdbLiteralPath(store.pathOf(`${LAKE_PREFIXES.silver}dt=${DATE}`))}/*.parquet` },
      );
      const truth = sim.groundTruth({ from: DAY_START, to: DAY_END }).watchHours;
      return { truth, gold, silver: sums?.silver ?? 0, step: sums?.step ?? 0, original: sums?.original ?? 0 };
    } finally {
      await engine.close();
    }
  } finally {
    await sim.close();
    await rm(directory, { recursive: true, force: true });
  }
}

const percent = (estimate: number, truth: number) => {
  const value = ((estimate - truth) / truth) * 100;
  return `${value >= 0 ? '+' : ''}${value.toFixed(2)} %`;
};

console.log(`hours watched on ${DATE} (${TIME_ZONE}), ${channels} channels live on average, seed ${seed}`);
console.log('| interval | population | true hours | gold (joined snapshots) | silver (Σ sample cells) | previous step | original formula |');
console.log('|---|---|---|---|---|---|---|');
for (const intervalMinutes of intervals) {
  for (const shape of shapes) {
    const day = await measureDay(shape, intervalMinutes);
    const estimates = Object.values(day.gold);
    if (estimates.some((value) => Math.abs(value - estimates[0]!) > 1e-6 * Math.max(1, day.truth))) {
      throw new Error(`gold tables disagree on ${shape} at ${intervalMinutes} min: ${JSON.stringify(day.gold)}`);
    }
    console.log(
      `| ${intervalMinutes} min | ${shape} | ${Math.round(day.truth).toLocaleString('en-US')} | ${percent(estimates[0]!, day.truth)} | ${percent(day.silver, day.truth)} | ${percent(day.step, day.truth)} | ${percent(day.original, day.truth)} |`,
    );
  }
}
