/** The population clock: frozen at a start time and moved by hand, or following real time. */
export interface SimulatorClock {
  now(): Date;
  set(date: Date): void;
  advance(ms: number): void;
}

/**
 * A clock that is frozen when given a start time (moved only by `set` and `advance`), or that
 * follows real time from the moment it is created (then `set` and `advance` shift it).
 *
 * @example
 * const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'));
 * clock.advance(30 * 60_000);
 * clock.now(); // 2026-01-01T00:30:00.000Z
 */
export class VirtualClock implements SimulatorClock {
  private frozenAt: number | undefined;
  private shift = 0;

  constructor(startTime?: Date) {
    this.frozenAt = startTime?.getTime();
  }

  now(): Date {
    return new Date(this.frozenAt ?? Date.now() + this.shift);
  }

  set(date: Date): void {
    if (this.frozenAt === undefined) this.shift = date.getTime() - Date.now();
    else this.frozenAt = date.getTime();
  }

  advance(ms: number): void {
    if (this.frozenAt === undefined) this.shift += ms;
    else this.frozenAt += ms;
  }
}
