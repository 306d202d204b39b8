import { describe, expect, it } from 'vitest';
import { startHelixSimulator } from '../src/index';

describe('population clock', () => {
  it('stays frozen at startTime until set or advanced', async () => {
    // prepare
    const startTime = new Date('2026-03-10T20:00:00Z');
    const sim = await startHelixSimulator({ averageLiveChannels: 200, startTime });

    // act
    await new Promise((resolve) => setTimeout(resolve, 20));
    const frozen = sim.clock.now();
    sim.clock.advance(90_000);
    const advanced = sim.clock.now();
    sim.clock.set(new Date('2026-03-11T00:00:00Z'));
    const set = sim.clock.now();
    await sim.close();

    // assess
    expect(frozen).toEqual(startTime);
    expect(advanced).toEqual(new Date('2026-03-10T20:01:30Z'));
    expect(set).toEqual(new Date('2026-03-11T00:00:00Z'));
  });

  it('follows real time without startTime, shifted by set and advance', async () => {
    // prepare
    const sim = await startHelixSimulator({ averageLiveChannels: 200 });

    // act
    const following = sim.clock.now().getTime() - Date.now();
    sim.clock.advance(3_600_000);
    const advanced = sim.clock.now().getTime() - Date.now();
    sim.clock.set(new Date('2026-01-01T00:00:00Z'));
    const set = sim.clock.now().getTime();
    const live = sim.liveStreams();
    await sim.close();

    // assess
    expect(Math.abs(following)).toBeLessThan(1_000);
    expect(Math.abs(advanced - 3_600_000)).toBeLessThan(1_000);
    expect(Math.abs(set - Date.UTC(2026, 0, 1))).toBeLessThan(1_000);
    expect(live.every((stream) => Date.parse(stream.started_at) <= set)).toBe(true);
  });
});
