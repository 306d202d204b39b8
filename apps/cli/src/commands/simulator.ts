import { type Command, PROGRAM } from '../cli/command';
import { listenError } from '../cli/errors';
import { toJson } from '../cli/io';
import { StopSignal } from '../cli/signals';
import { parseTime, simulatorOptions, simulatorSettings, wholeNumber } from '../runtime/run-options';
import { startSimulator } from '../runtime/source';

/** `simulator`: serve the simulated Helix API for other tools (or for `run` pointed at it). */
export const simulatorCommand: Command = {
  name: 'simulator',
  usage: ['simulator [--port N] [--channels N] [--seed N] [--rate-limit N] [--start TIME]'],
  details:
    'A Helix-compatible server: POST /oauth2/token (client credentials), GET /helix/streams and /helix/games,\n' +
    'cursor paging, Ratelimit-* headers and 429s, over a seeded population with daily rhythms. The printed\n' +
    'credentials belong to the simulator only. Runs until Ctrl-C.',
  options: {
    port: { type: 'string', short: 'p', value: 'N', description: 'port on 127.0.0.1 (default 0: a free one)' },
    'rate-limit': { type: 'string', value: 'N', description: 'requests per minute per token (default 800, as Twitch)' },
    start: { type: 'string', value: 'TIME', description: 'freeze the clock at this ISO-8601 time (default: follow real time)' },
    ...simulatorOptions(),
  },
  // It serves until stopped, so its exports are pasted into the client's shell, not captured with $(…).
  examples: [`${PROGRAM} simulator --port 8787   # then paste the export lines it prints into the shell of the client`],
  async run(input) {
    const settings = simulatorSettings(input.values, 'simulator');
    const port = wholeNumber(input.values.port, 'port', 'simulator', { min: 0, max: 65_535 }) ?? 0;
    const requestsPerMinute = wholeNumber(input.values['rate-limit'], 'rate-limit', 'simulator', { min: 1, max: 10_000_000 });
    const startTime = parseTime(input.values.start, 'start', 'simulator');
    const simulator = await startSimulator({
      ...settings,
      port,
      ...(requestsPerMinute ? { requestsPerMinute } : {}),
      ...(startTime ? { startTime } : {}),
    }).catch((error: unknown) => {
      throw listenError(error, port, `${PROGRAM} simulator`);
    });
    const variables = {
      TWITCH_API_URL: simulator.apiUrl,
      TWITCH_AUTH_URL: simulator.authUrl,
      TWITCH_CLIENT_ID: simulator.credentials.clientId,
      TWITCH_CLIENT_SECRET: simulator.credentials.clientSecret,
    };
    if (input.json) input.io.out(toJson({ ...variables, channels: settings.channels, seed: settings.seed }));
    else {
      input.io.out(
        `Helix simulator on ${simulator.apiUrl} (${settings.channels.toLocaleString('en-US')} channels live on average, seed ${settings.seed}).\n` +
          'Point a client at it with (simulator credentials, not Twitch ones):\n' +
          `${Object.entries(variables).map(([name, value]) => `export ${name}=${value}`).join('\n')}\n` +
          'Ctrl-C to stop.\n',
      );
    }
    const stop = new StopSignal();
    await stop.stopped;
    stop.dispose();
    const stats = simulator.stats();
    await simulator.close();
    input.io.err(`simulator stopped after ${stats.requests} requests (${stats.rateLimited} rate-limited)\n`);
    return 0;
  },
};
