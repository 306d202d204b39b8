import type { Command } from '../cli/command';

/** A command's name and one-line summary; its module loads only when it runs (fast start, fewer imports). */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

/** Every command, in the order `--help` lists them. */
export const COMMANDS: CommandEntry[] = [
  {
    name: 'start',
    summary: 'the demo: 24 simulated hours through the whole pipeline, then a summary (with Twitch credentials: run --every)',
    load: async () => (await import('./start')).startCommand,
  },
  {
    name: 'run',
    summary: 'run one pipeline cycle now (extract → bronze → publish → consume → silver → gold), or --every 30m',
    load: async () => (await import('./run')).runCommand,
  },
  {
    name: 'backfill',
    summary: 'collect N hours of simulated history through the simulator’s virtual clock, then silver and gold',
    load: async () => (await import('./backfill')).backfillCommand,
  },
  {
    name: 'rebuild',
    summary: 'rebuild silver and gold from bronze (all dates, or --from/--to) after a change of the SQL models',
    load: async () => (await import('./rebuild')).rebuildCommand,
  },
  {
    name: 'query',
    summary: 'run SQL over the local lake (DuckDB views of bronze, silver, gold and the real-time table)',
    load: async () => (await import('./query')).queryCommand,
  },
  {
    name: 'channel',
    summary: 'one channel’s profile: hours, viewers, categories, weekday × hour heat-map, trend, rank, last sample',
    load: async () => (await import('./channel')).channelCommand,
  },
  {
    name: 'category',
    summary: 'one category’s profile: hours, channels and viewers per channel by hour, best hours, top channels, trend',
    load: async () => (await import('./category')).categoryCommand,
  },
  {
    name: 'dashboard',
    summary: 'write a self-contained HTML dashboard of the lake (or serve it on 127.0.0.1)',
    load: async () => (await import('./dashboard')).dashboardCommand,
  },
  {
    name: 'status',
    summary: 'recent cycles, queue and DLQ depth, and how fresh each layer is',
    load: async () => (await import('./status')).statusCommand,
  },
  {
    name: 'dlq',
    summary: 'inspect the dead-letter queue of the real-time path: count, peek, redrive',
    load: async () => (await import('./dlq')).dlqCommand,
  },
  {
    name: 'alerts',
    summary: 'recent real-time alerts (channel went live, viewer jump, category audience) from the local alerts log',
    load: async () => (await import('./alerts')).alertsCommand,
  },
  {
    name: 'simulator',
    summary: 'serve the simulated Helix API on 127.0.0.1 and print the variables to use it',
    load: async () => (await import('./simulator')).simulatorCommand,
  },
];
