import { MAX_MESSAGE_BYTES, queueEnvelopeSchema, type RealtimeEvent } from '@twitch-pipeline/schemas';
import { describe, expect, it } from 'vitest';
import { type BronzeEventSource, DUPLICATE_CHANNEL, eventsFromBronzeRows, packEnvelopes, sendBatchesOf } from '../src/index';

const COLLECTED = new Date('2026-11-29T21:30:00.000Z');

function source(overrides: Partial<BronzeEventSource> = {}): BronzeEventSource {
  return {
    id: '1001',
    user_id: '2001',
    user_login: ' Gaules ',
    game_id: '32399',
    game_name: 'Counter-Strike',
    title: 'major 🏆',
    language: 'pt',
    viewer_count: 40_000,
    started_at_utc: new Date('2026-11-29T18:00:00Z'),
    collected_at: COLLECTED,
    periodo_dia: 'Night',
    collection_interval_minutes: 30,
    ...overrides,
  };
}

function event(index: number, title = 'ao vivo'): RealtimeEvent {
  return {
    nome_streamer: `canal_${index}`,
    timestamp: COLLECTED.toISOString(),
    id_stream: String(1000 + index),
    espectadores: index,
    nome_categoria: 'Just Chatting',
    tipo_conteudo: 'Non-Game',
    periodo_dia: 'Afternoon',
    titulo: title,
    idioma: 'pt',
    iniciado_em: '2026-11-29T18:00:00.000Z',
  };
}

describe('eventsFromBronzeRows', () => {
  it('gives a category sent decomposed (e + combining accent) in the composed spelling silver writes', () => {
    // act
    const { events } = eventsFromBronzeRows([source({ game_name: 'Cafe\u0301 Talk' })]);
    // assess
    expect(events.map((item) => item.nome_categoria)).toEqual(['Caf\u00e9 Talk']);
  });

  it('maps a bronze row with the shared features', () => {
    // prepare
    const rows = [source(), source({ id: '1002', user_login: 'papo', game_id: '509658', game_name: '', title: null })];
    // act
    const { events, skipped } = eventsFromBronzeRows(rows);
    // assess
    expect(skipped).toEqual({});
    expect(events).toEqual([
      {
        nome_streamer: 'gaules',
        timestamp: '2026-11-29T21:30:00.000Z',
        id_stream: '1001',
        espectadores: 40_000,
        nome_categoria: 'Counter-Strike',
        tipo_conteudo: 'Game',
        periodo_dia: 'Night',
        titulo: 'major 🏆',
        idioma: 'pt',
        iniciado_em: '2026-11-29T18:00:00.000Z',
      },
      expect.objectContaining({ nome_streamer: 'papo', nome_categoria: 'Unknown', tipo_conteudo: 'Non-Game', titulo: '' }),
    ]);
  });

  it('leaves out and counts, with the silver reasons, every row silver would quarantine', () => {
    // prepare
    const rows = [
      source({ id: '1' }),
      source({ id: null }),
      source({ id: '2', user_login: '  ' }),
      source({ id: '3', viewer_count: -1 }),
      source({ id: '4', started_at_utc: null }),
      source({ id: '5', started_at_utc: new Date(COLLECTED.getTime() + 10 * 60_000) }),
      source({ id: '1', user_login: 'copia' }),
      // A refused copy first does not cost stream 6 its sound copy, in silver either.
      source({ id: '6', user_login: 'seis', viewer_count: -2 }),
      source({ id: '6', user_login: 'seis' }),
    ];
    // act
    const { rows: total, events, skipped } = eventsFromBronzeRows(rows);
    // assess
    expect(events.map((item) => item.id_stream)).toEqual(['1', '6']);
    expect(skipped).toEqual({
      'missing id': 1,
      'missing user_login': 1,
      'negative viewer_count': 2,
      'unparsable started_at': 1,
      'started_at after collected_at beyond the allowed skew': 1,
      'duplicate stream id within the snapshot': 1,
    });
    expect(events.length + Object.values(skipped).reduce((a, b) => a + b, 0)).toBe(total);
  });

  it("keeps a channel's first stream of the snapshot and counts its second one, which would take the same table key", () => {
    // prepare: a channel that restarted while the crawl paged, under two stream ids
    const rows = [
      source({ id: '777001', user_login: 'gaules', viewer_count: 100 }),
      source({ id: '1', user_login: 'outro' }),
      source({ id: '777002', user_login: ' Gaules', game_name: 'Just Chatting', viewer_count: 9_000 }),
    ];
    // act
    const { events, skipped } = eventsFromBronzeRows(rows);
    // assess
    expect(events.map((item) => [item.nome_streamer, item.id_stream, item.espectadores])).toEqual([
      ['gaules', '777001', 100],
      ['outro', '1', 40_000],
    ]);
    expect(skipped).toEqual({ [DUPLICATE_CHANNEL]: 1 });
  });
});

describe('packEnvelopes', () => {
  it('packs 25 events a message under versioned envelopes with deterministic ids', () => {
    // prepare
    const events = Array.from({ length: 60 }, (_, index) => event(index));
    // act
    const first = packEnvelopes('20261129T213000Z', events);
    const again = packEnvelopes('20261129T213000Z', events);
    // assess
    expect(first.map((message) => message.events)).toEqual([25, 25, 10]);
    expect(first.map((message) => message.id)).toEqual(['20261129T213000Z-000000', '20261129T213000Z-000001', '20261129T213000Z-000002']);
    expect(again).toEqual(first);
    const envelopes = first.map((message) => queueEnvelopeSchema.parse(JSON.parse(message.body)));
    expect(envelopes.flatMap((envelope) => envelope.events)).toEqual(events);
    expect(first.every((message) => message.bytes === Buffer.byteLength(message.body))).toBe(true);
  });

  it("packs a category's events together, in the order they came, so each category has few parts", () => {
    // prepare
    const categories = ['Music', 'Just Chatting', 'Art'];
    const events = Array.from({ length: 60 }, (_, index) => ({ ...event(index), nome_categoria: categories[index % 3]! }));

    // act
    const messages = packEnvelopes('20261129T213000Z', events);

    // assess
    const packed = messages.map((message) => queueEnvelopeSchema.parse(JSON.parse(message.body)).events);
    expect(packed.flat().map((item) => item.nome_categoria)).toEqual([...Array(20).fill('Art'), ...Array(20).fill('Just Chatting'), ...Array(20).fill('Music')]);
    expect(packed.flat().filter((item) => item.nome_categoria === 'Music').map((item) => item.espectadores)).toEqual(
      events.filter((item) => item.nome_categoria === 'Music').map((item) => item.espectadores),
    );
    const messagesOf = (category: string) => packed.filter((batch) => batch.some((item) => item.nome_categoria === category)).length;
    expect(categories.map(messagesOf)).toEqual([2, 2, 1]);
  });

  it('starts a new message before the body would pass the byte limit', () => {
    // prepare
    const events = Array.from({ length: 25 }, (_, index) => event(index, 'é'.repeat(20_000)));
    // act
    const messages = packEnvelopes('20261129T213000Z', events);
    // assess
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.every((message) => Buffer.byteLength(message.body) <= MAX_MESSAGE_BYTES)).toBe(true);
    expect(messages.reduce((sum, message) => sum + message.events, 0)).toBe(25);
  });

  it('groups messages into send batches of at most 10 entries and 256 KB', () => {
    // prepare
    const messages = [
      ...Array.from({ length: 12 }, () => ({ bytes: 1_000 })),
      ...Array.from({ length: 3 }, () => ({ bytes: 100_000 })),
    ];
    // act
    const batches = sendBatchesOf(messages);
    // assess
    expect(batches.map((batch) => batch.length)).toEqual([10, 4, 1]);
    expect(batches.every((batch) => batch.reduce((sum, message) => sum + message.bytes, 0) <= MAX_MESSAGE_BYTES)).toBe(true);
  });
});
