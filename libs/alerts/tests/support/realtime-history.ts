import type { RealtimeEvent } from '@twitch-pipeline/schemas';
import type { AdjacentSample } from '../../src/index';

/**
 * The part of the real-time table the evaluator reads, kept in memory for tests: samples by
 * channel, with the newest-before and oldest-after lookups of the table's key design
 * (partition nome_streamer, sort timestamp). Writes are upserts by key, like the table's.
 */
export class RealtimeHistory {
  private readonly samples = new Map<string, Map<string, RealtimeEvent>>();

  write(events: readonly RealtimeEvent[]): void {
    for (const event of events) {
      const channel = this.samples.get(event.nome_streamer) ?? new Map<string, RealtimeEvent>();
      channel.set(event.timestamp, event);
      this.samples.set(event.nome_streamer, channel);
    }
  }

  readonly previousSample: AdjacentSample = async (login, timestamp) =>
    this.sorted(login)
      .filter((event) => event.timestamp < timestamp)
      .at(-1);

  readonly nextSample: AdjacentSample = async (login, timestamp) =>
    this.sorted(login).find((event) => event.timestamp > timestamp);

  private sorted(login: string): RealtimeEvent[] {
    return [...(this.samples.get(login)?.values() ?? [])].sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  }
}
