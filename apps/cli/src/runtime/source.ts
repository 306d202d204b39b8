// The simulator and the Helix client load when a source opens: `status` reaches this module
// through the run options, for its defaults only.
import type { HelixSimulator } from '@twitch-pipeline/helix-simulator';
import type { PipelineConfig } from '@twitch-pipeline/schemas';
import type { HelixClient, HelixLogger } from '@twitch-pipeline/twitch';
import { CliError, EXIT } from '../cli/errors';
import { openProxiedFetch } from './proxy-fetch';

/** Simulator settings the commands expose as flags. */
export interface SimulatorSettings {
  /** Average channels live at once, platform-wide (Twitch: about 95,000). */
  channels: number;
  seed: number;
  /** Freezes the simulator's clock at this time (it then moves only when told). */
  startTime?: Date;
  port?: number;
  /** Requests per minute per token; the default is Twitch's 800. */
  requestsPerMinute?: number;
}

/** Where snapshots come from: Twitch itself, or the built-in simulator. */
export interface StreamsSource {
  kind: 'twitch' | 'simulator';
  client: HelixClient;
  /** Present when `kind` is `simulator`. */
  simulator?: HelixSimulator;
  /** One line for the user: where the data comes from. */
  description: string;
  close(): Promise<void>;
}

/** Default simulator population: Twitch's size, so `run` looks like the real platform. */
export const DEFAULT_SIMULATOR_CHANNELS = 95_000;
export const DEFAULT_SIMULATOR_SEED = 42;

/**
 * Whether Twitch credentials are configured (otherwise the simulator stands in).
 *
 * @example
 * if (!hasTwitchCredentials(config)) console.log('using the simulator');
 */
export function hasTwitchCredentials(config: PipelineConfig): boolean {
  return Boolean(config.twitch.clientId && config.twitch.clientSecret);
}

/**
 * Checks `PIPELINE_LANGUAGES` against the languages the simulator has channels in (a fixed set,
 * where Twitch takes any code and answers an unknown one with no streams). None of them is a
 * usage error, since the run would collect nothing; some of them give a note naming the others.
 *
 * @example
 * const note = await checkSimulatedLanguages(config); // undefined for pt,en,es
 * if (note) io.err(note);
 */
export async function checkSimulatedLanguages(config: Pick<PipelineConfig, 'languages'>): Promise<string | undefined> {
  if (config.languages.includes('all')) return undefined;
  const { LANGUAGES } = await import('@twitch-pipeline/helix-simulator');
  const simulated = LANGUAGES.map((language) => language.code);
  const missing = config.languages.filter((code) => !simulated.includes(code));
  const hint = `it simulates ${simulated.join(', ')}; set PIPELINE_LANGUAGES to some of them, or to all`;
  if (missing.length === config.languages.length) {
    throw new CliError(`the simulator has no channels in ${missing.join(', ')} (PIPELINE_LANGUAGES), so there would be nothing to collect`, {
      exitCode: EXIT.usage,
      hint,
    });
  }
  return missing.length > 0 ? `note: the simulator has no channels in ${missing.join(', ')} (PIPELINE_LANGUAGES): ${hint}\n` : undefined;
}

/**
 * Starts the built-in Helix simulator on 127.0.0.1.
 *
 * @example
 * const simulator = await startSimulator({ channels: 5_000, seed: 1 });
 */
export async function startSimulator(settings: SimulatorSettings): Promise<HelixSimulator> {
  const { startHelixSimulator } = await import('@twitch-pipeline/helix-simulator');
  return startHelixSimulator({
    seed: settings.seed,
    averageLiveChannels: settings.channels,
    ...(settings.startTime ? { startTime: settings.startTime } : {}),
    ...(settings.port !== undefined ? { port: settings.port } : {}),
    ...(settings.requestsPerMinute ? { rateLimit: { points: settings.requestsPerMinute, windowMs: 60_000 } } : {}),
  });
}

/**
 * The Helix client's warnings on stderr (a retried call, a renewed token, a cursor Twitch
 * refused, a listing that looped back): a local run has no log sink, and a crawl cut short or
 * restarted must not pass unseen. What the client logs never carries a secret.
 */
const stderrHelixWarnings: HelixLogger = {
  debug: () => {},
  info: () => {},
  warn: (message, ...extra) => {
    process.stderr.write(`warning: Twitch Helix: ${message}${extra.map((fields) => ` ${JSON.stringify(fields)}`).join('')}\n`);
  },
};

/**
 * The source a local run collects from: Twitch when credentials are set, otherwise a simulator
 * started in this process (and closed by `close()`).
 *
 * @example
 * const source = await openStreamsSource(config, { channels: 95_000, seed: 42 });
 * try { await source.client.crawlStreams({ languages: ['pt'] }); } finally { await source.close(); }
 */
export async function openStreamsSource(config: PipelineConfig, settings: SimulatorSettings, env: NodeJS.ProcessEnv = process.env): Promise<StreamsSource> {
  const { HelixClient } = await import('@twitch-pipeline/twitch');
  if (hasTwitchCredentials(config)) {
    const proxy = await openProxiedFetch(env, config.twitch.apiUrl);
    const client = new HelixClient({
      apiUrl: config.twitch.apiUrl,
      authUrl: config.twitch.authUrl,
      clientId: config.twitch.clientId!,
      clientSecret: config.twitch.clientSecret!,
      logger: stderrHelixWarnings,
      ...(proxy ? { fetch: proxy.fetch } : {}),
    });
    return {
      kind: 'twitch',
      client,
      description: `Twitch Helix at ${config.twitch.apiUrl}${proxy?.description ? ` through the proxy ${proxy.description}` : ''}`,
      close: async () => {
        await proxy?.close();
      },
    };
  }
  const simulator = await startSimulator(settings);
  const client = new HelixClient({
    apiUrl: simulator.apiUrl,
    authUrl: simulator.authUrl,
    clientId: simulator.credentials.clientId,
    clientSecret: simulator.credentials.clientSecret,
  });
  return {
    kind: 'simulator',
    client,
    simulator,
    description: `the built-in Helix simulator (${settings.channels.toLocaleString('en-US')} channels live on average, seed ${settings.seed}; set TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET for real Twitch data)`,
    close: () => simulator.close(),
  };
}
