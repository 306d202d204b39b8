import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { AlertRecord, RealtimeEvent } from '@twitch-pipeline/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlertPublisher, evaluateAlerts, LocalAlertLog, LocalCategoryAudience } from '../src/index';
import { eventOf } from './support/events';
import { RealtimeHistory } from './support/realtime-history';
import { duplicatedAndShuffled, EXPECTED_KEYS, scenarioMessages, scenarioRules, T } from './support/scenario';

class RecordingPublisher implements AlertPublisher {
  readonly published: AlertRecord[] = [];
  async publish(alert: AlertRecord): Promise<void> {
    this.published.push(alert);
  }
}

describe('evaluateAlerts', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'alerts-evaluate-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  /** What the consumer does per message: write the events to the table, then evaluate them. */
  async function consume(deliveries: readonly RealtimeEvent[][], name: string) {
    const history = new RealtimeHistory();
    const log = new LocalAlertLog(join(directory, name, 'alerts'));
    const audience = new LocalCategoryAudience(join(directory, name, 'audience'));
    const publisher = new RecordingPublisher();
    const delivered: AlertRecord[] = [];
    for (const events of deliveries) {
      history.write(events);
      delivered.push(
        ...(await evaluateAlerts({
          events,
          rules: scenarioRules,
          previousSample: history.previousSample,
          nextSample: history.nextSample,
          categoryAudience: audience,
          ledger: log,
          publishers: [publisher],
        })),
      );
    }
    return { delivered, published: publisher.published, logged: (await log.list()).alerts };
  }

  it('fires the six expected alerts, with the hand-checked values, on in-order delivery', async () => {
    // prepare
    const deliveries = scenarioMessages();

    // act
    const { delivered, logged } = await consume(deliveries, 'in-order');

    // assess
    expect(delivered.map((alert) => alert.key).sort()).toEqual(EXPECTED_KEYS);
    expect(logged).toHaveLength(6);
    const byKey = new Map(logged.map((alert) => [alert.key, alert]));
    expect(byKey.get('viewer_jump|gaules-jump|s1')).toMatchObject({
      nome_streamer: 'gaules',
      espectadores: 2000,
      anterior: 600,
      timestamp: T[3],
    });
    expect(byKey.get('category_audience|jc-1k|just chatting|2026-11-29T22:30:00.000Z')).toMatchObject({
      nome_categoria: 'just chatting',
      espectadores: 1100,
      anterior: 950,
      timestamp: T[3],
    });
    expect(byKey.get('channel_live|live|s2')).toMatchObject({ nome_streamer: 'gaules', timestamp: T[4], espectadores: 300 });
    expect(byKey.get('channel_live|live|c0')).toMatchObject({ nome_streamer: 'casimiro', timestamp: T[0] });
  });

  it.each([1, 7, 42, 1234, 99_999])(
    'fires each alert exactly once when every message is delivered twice in shuffled order (seed %i)',
    async (seed) => {
      // prepare
      const deliveries = duplicatedAndShuffled(scenarioMessages(), seed);

      // act
      const { delivered, published, logged } = await consume(deliveries, `seed-${seed}`);

      // assess
      expect(delivered.map((alert) => alert.key).sort()).toEqual(EXPECTED_KEYS);
      expect(published.map((alert) => alert.key).sort()).toEqual(EXPECTED_KEYS);
      expect(logged.map((alert) => alert.key).sort()).toEqual(EXPECTED_KEYS);
    },
  );

  it('never alerts for a channel outside the rule, however much it jumps', async () => {
    // prepare
    const deliveries = duplicatedAndShuffled(scenarioMessages(), 3);

    // act
    const { logged } = await consume(deliveries, 'outsider');

    // assess
    const outsider = logged.filter((alert) => alert.nome_streamer === 'outsider');
    expect(outsider.map((alert) => alert.rule)).toEqual(['any-raid']);
    expect(logged.filter((alert) => alert.rule === 'live').map((alert) => alert.nome_streamer).sort()).toEqual([
      'casimiro',
      'gaules',
      'gaules',
    ]);
  });

  it.each([
    [1.1, 100, 110],
    [1.1, 200, 220],
    [1.3, 10, 13],
  ])('fires a jump of exactly its factor %s (%s to %s viewers), which floating point puts a hair short', async (factor, before, after) => {
    // prepare
    const history = new RealtimeHistory();
    const earlier = eventOf({ nome_streamer: 'gaules', id_stream: 's1', espectadores: before, timestamp: '2026-11-29T21:00:00.000Z' });
    const later = eventOf({ nome_streamer: 'gaules', id_stream: 's1', espectadores: after, timestamp: '2026-11-29T21:30:00.000Z' });
    history.write([earlier, later]);

    // act
    const raised = await evaluateAlerts({
      events: [later],
      rules: { rules: [{ name: 'jump', type: 'viewer_jump', factor, minIncrease: 0 }] },
      previousSample: history.previousSample,
      nextSample: history.nextSample,
      ledger: new LocalAlertLog(join(directory, 'boundary', `${factor}-${before}`)),
      publishers: [new RecordingPublisher()],
    });

    // assess
    expect(raised.map((alert) => [alert.rule, alert.espectadores])).toEqual([['jump', after]]);
  });

  it('writes the counts of its messages with thousands separators, keeping the fields numbers', async () => {
    // prepare: a channel live at 1,200, then 15,994 (a jump), which alone takes Just Chatting past 15,000
    const history = new RealtimeHistory();
    const audience = new LocalCategoryAudience(join(directory, 'separators', 'audience'));
    const at = (espectadores: number, timestamp: string) =>
      eventOf({ nome_streamer: 'gaules', id_stream: 's1', espectadores, nome_categoria: 'Just Chatting', titulo: 'ao vivo', timestamp });
    const rules = {
      rules: [
        { name: 'live', type: 'channel_live' as const, channels: ['gaules'] },
        { name: 'jump', type: 'viewer_jump' as const, factor: 2, minIncrease: 1000 },
        { name: 'jc', type: 'category_audience' as const, category: 'Just Chatting', threshold: 15_000 },
      ],
    };
    const raised: AlertRecord[] = [];

    // act
    for (const events of [[at(1200, '2026-11-29T21:00:00.000Z')], [at(15_994, '2026-11-29T21:30:00.000Z')]]) {
      history.write(events);
      raised.push(
        ...(await evaluateAlerts({
          events,
          rules,
          previousSample: history.previousSample,
          nextSample: history.nextSample,
          categoryAudience: audience,
          ledger: new LocalAlertLog(join(directory, 'separators', 'alerts')),
          publishers: [new RecordingPublisher()],
        })),
      );
    }

    // assess
    expect(raised.map((alert) => [alert.rule, alert.message, alert.espectadores, alert.anterior])).toEqual([
      ['live', 'gaules is live with 1,200 viewers in Just Chatting: ao vivo', 1200, undefined],
      ['jump', 'gaules jumped from 1,200 to 15,994 viewers (+14,794) in Just Chatting', 15_994, 1200],
      ['jc', 'Just Chatting reached 15,994 live viewers (threshold 15,000, previous snapshot 1,200)', 15_994, 1200],
    ]);
  });

  it('gives the key back when publishing fails, so the redelivered message sends the alert once', async () => {
    // prepare
    const history = new RealtimeHistory();
    const log = new LocalAlertLog(join(directory, 'failing', 'alerts'));
    const sent: string[] = [];
    let failuresLeft = 1;
    const flaky: AlertPublisher = {
      publish: async (alert) => {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          throw new Error('SNS unavailable');
        }
        sent.push(alert.key);
      },
    };
    const [first] = scenarioMessages();
    const rules = { rules: [scenarioRules.rules[0]!] };
    const run = () =>
      evaluateAlerts({ events: first!, rules, previousSample: history.previousSample, ledger: log, publishers: [flaky] });
    history.write(first!);

    // act
    const failed = await run().then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    const retried = await run();
    const again = await run();

    // assess
    expect(failed).toBe('SNS unavailable');
    expect(retried.map((alert) => alert.key)).toEqual(['channel_live|live|c0']);
    expect(again).toEqual([]);
    expect(sent).toEqual(['channel_live|live|c0']);
  });

  it('succeeds on an alert sent but not marked delivered when told of it, so that no redelivery sends it again', async () => {
    // prepare: the ledger's mark fails every time (a throttled table) after the publisher accepted the alert
    const history = new RealtimeHistory();
    const throttledLedger = (name: string) =>
      Object.assign(Object.create(new LocalAlertLog(join(directory, name, 'alerts'))) as LocalAlertLog, {
        markDelivered: async () => {
          throw new Error('ProvisionedThroughputExceededException');
        },
      });
    const publisher = new RecordingPublisher();
    const unmarked: string[] = [];
    const [first] = scenarioMessages();
    const rules = { rules: [scenarioRules.rules[0]!] };
    history.write(first!);
    const evaluate = (ledger: LocalAlertLog, onUnmarked?: (alert: AlertRecord, error: Error) => void) =>
      evaluateAlerts({ events: first!, rules, previousSample: history.previousSample, ledger, publishers: [publisher], onUnmarked });

    // act
    const told = await evaluate(throttledLedger('told'), (alert, error) => unmarked.push(`${alert.key}: ${error.message}`));
    const untold = await evaluate(throttledLedger('untold')).then(
      () => 'resolved',
      (error: Error) => error.message,
    );

    // assess: told, the message succeeds and the failure is reported; untold, it fails as before
    expect(told.map((alert) => alert.key)).toEqual(['channel_live|live|c0']);
    expect(unmarked).toEqual(['channel_live|live|c0: ProvisionedThroughputExceededException']);
    expect(untold).toBe('ProvisionedThroughputExceededException');
  });

  it('keeps the publisher\'s error when giving the claim back fails too', async () => {
    // prepare
    const history = new RealtimeHistory();
    const log = new LocalAlertLog(join(directory, 'release', 'alerts'));
    const ledger = Object.assign(Object.create(log) as LocalAlertLog, {
      release: async () => {
        throw new Error('InternalServerError');
      },
    });
    const down: AlertPublisher = {
      publish: async () => {
        throw Object.assign(new Error('SNS unavailable'), { name: 'ThrottlingException' });
      },
    };
    const [first] = scenarioMessages();
    history.write(first!);

    // act
    const failed = await evaluateAlerts({ events: first!, rules: { rules: [scenarioRules.rules[0]!] }, previousSample: history.previousSample, ledger, publishers: [down] }).then(
      () => 'resolved',
      (error: Error) => `${error.name}: ${error.message}`,
    );

    // assess
    expect(failed).toBe('ThrottlingException: SNS unavailable (and the claim on alert channel_live|live|c0 was not released: InternalServerError)');
  });

  it('delivers an alert once when the process died between claiming and publishing it', async () => {
    // prepare: the first consumer claims the alert, then its process dies inside publish (it never
    // returns, and its in-memory state is gone); the message is redelivered after its visibility
    // timeout to a new consumer process, whose clock is past the claim's lease
    const history = new RealtimeHistory();
    const alertsDirectory = join(directory, 'crashed', 'alerts');
    const [first] = scenarioMessages();
    const rules = { rules: [scenarioRules.rules[0]!] };
    history.write(first!);
    const dying: AlertPublisher = { publish: () => new Promise<void>(() => undefined) };
    const survivor = new RecordingPublisher();
    const evaluate = (ledger: LocalAlertLog, publisher: AlertPublisher) =>
      evaluateAlerts({ events: first!, rules, previousSample: history.previousSample, ledger, publishers: [publisher], claimLeaseMs: 30_000 });
    void evaluate(new LocalAlertLog(alertsDirectory, () => 0), dying);
    while ((await readdir(alertsDirectory).catch(() => [])).filter((name) => name.endsWith('.json')).length === 0) await delay(5);

    // act
    const tooEarly = await evaluate(new LocalAlertLog(alertsDirectory, () => 10_000), survivor).catch((error: Error) => error.name);
    const redelivered = await evaluate(new LocalAlertLog(alertsDirectory, () => 31_000), survivor);
    const again = await evaluate(new LocalAlertLog(alertsDirectory, () => 40_000), survivor);

    // assess
    expect(tooEarly).toBe('AlertClaimedElsewhereError');
    expect(redelivered.map((alert) => alert.key)).toEqual(['channel_live|live|c0']);
    expect(again).toEqual([]);
    expect(survivor.published.map((alert) => alert.key)).toEqual(['channel_live|live|c0']);
    expect((await new LocalAlertLog(alertsDirectory).list()).alerts.map((alert) => alert.key)).toEqual(['channel_live|live|c0']);
  });

  it('delivers a key once when two messages of one process raise it at the same time', async () => {
    // prepare
    const history = new RealtimeHistory();
    const [first] = scenarioMessages();
    const rules = { rules: [scenarioRules.rules[0]!] };
    history.write(first!);
    const publisher = new RecordingPublisher();
    const ledger = new LocalAlertLog(join(directory, 'concurrent', 'alerts'));
    const evaluate = () => evaluateAlerts({ events: first!, rules, previousSample: history.previousSample, ledger, publishers: [publisher] });

    // act
    const [one, two] = await Promise.all([evaluate(), evaluate()]);

    // assess
    expect([...one, ...two].map((alert) => alert.key)).toEqual(['channel_live|live|c0']);
    expect(publisher.published).toHaveLength(1);
  });

  it('takes the first snapshot evaluated with a category watched as its baseline, and a snapshot without it as 0', async () => {
    // prepare: Just Chatting is above 1,000 from the start; it falls, crosses, leaves the
    // platform for one snapshot and comes back. Music's rule alone was on at T0 and T1 for the second run.
    const history = new RealtimeHistory();
    const chatting = (timestamp: string, espectadores: number) =>
      eventOf({ nome_streamer: 'jc_a', timestamp, id_stream: 'j0', espectadores, nome_categoria: 'Just Chatting' });
    const other = (timestamp: string) => eventOf({ nome_streamer: 'other', timestamp, id_stream: 'x0', espectadores: 10 });
    const snapshots = [
      [chatting(T[0], 1500), other(T[0])],
      [chatting(T[1], 800), other(T[1])],
      [chatting(T[2], 1200), other(T[2])],
      [other(T[3])],
      [chatting(T[4], 1100), other(T[4])],
    ];
    const chattingRule = { name: 'jc-1k', type: 'category_audience', category: 'Just Chatting', threshold: 1000 } as const;
    const musicRule = { name: 'music-1k', type: 'category_audience', category: 'Music', threshold: 1000 } as const;
    const evaluate = (events: typeof snapshots[number], rules: readonly (typeof chattingRule | typeof musicRule)[], name: string) => {
      history.write(events);
      return evaluateAlerts({
        events,
        rules,
        previousSample: history.previousSample,
        categoryAudience: new LocalCategoryAudience(join(directory, name, 'audience')),
        ledger: new LocalAlertLog(join(directory, name, 'alerts')),
      });
    };

    // act
    const watchedThroughout: AlertRecord[] = [];
    for (const events of snapshots) watchedThroughout.push(...(await evaluate(events, [chattingRule], 'throughout')));
    const watchedFromT2: AlertRecord[] = [];
    for (const [index, events] of snapshots.slice(0, 3).entries()) {
      watchedFromT2.push(...(await evaluate(events, index < 2 ? [musicRule] : [chattingRule, musicRule], 'from-t2')));
    }

    // assess
    expect(watchedThroughout.map((alert) => [alert.timestamp, alert.espectadores, alert.anterior])).toEqual([
      [T[2], 1200, 800],
      [T[4], 1100, 0],
    ]);
    expect(watchedFromT2).toEqual([]);
  });

  it('matches a category rule typed with "é" to a category sent as e + combining accent', async () => {
    // prepare: the rule in the composed spelling, the events in the decomposed one, crossing 1,000
    const history = new RealtimeHistory();
    const cafe = (timestamp: string, espectadores: number) =>
      eventOf({ nome_streamer: 'cafe_a', timestamp, id_stream: 'c0', espectadores, nome_categoria: 'Cafe\u0301 Talk' });
    const rule = { name: 'cafe-1k', type: 'category_audience', category: 'Caf\u00e9 Talk', threshold: 1000 } as const;
    const raised: AlertRecord[] = [];

    // act
    for (const events of [[cafe(T[0], 500)], [cafe(T[1], 1500)]]) {
      history.write(events);
      raised.push(
        ...(await evaluateAlerts({
          events,
          rules: [rule],
          previousSample: history.previousSample,
          categoryAudience: new LocalCategoryAudience(join(directory, 'nfc', 'audience')),
          ledger: new LocalAlertLog(join(directory, 'nfc', 'alerts')),
        })),
      );
    }

    // assess
    expect(raised.map((alert) => [alert.timestamp, alert.espectadores, alert.anterior])).toEqual([[T[1], 1500, 500]]);
  });

  it('asks for a category audience store when a category rule exists', async () => {
    // prepare
    const history = new RealtimeHistory();
    const [first] = scenarioMessages();

    // act
    const outcome = evaluateAlerts({
      events: first!,
      rules: scenarioRules,
      previousSample: history.previousSample,
      ledger: new LocalAlertLog(join(directory, 'no-store')),
    });

    // assess
    await expect(outcome).rejects.toThrow('category_audience rules need a categoryAudience store');
  });
});
