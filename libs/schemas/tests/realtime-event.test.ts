import { describe, expect, it } from 'vitest';
import { realtimeEventSchema } from '../src/index';

const event = {
  nome_streamer: 'gaules',
  timestamp: '2026-11-29T21:30:00.000Z',
  id_stream: '42277959630',
  espectadores: 7,
  nome_categoria: 'Just Chatting',
  tipo_conteudo: 'Non-Game',
  periodo_dia: 'Night',
  titulo: 'ao vivo',
  idioma: 'pt',
  iniciado_em: '2026-11-29T19:52:00.000Z',
};

describe('a real-time event time in another spelling than toISOString writes', () => {
  it('names the one spelling taken, instead of calling a valid ISO-8601 time invalid', () => {
    // prepare: the same instants without milliseconds, and with an offset
    const spellings = [
      { timestamp: '2026-11-29T21:30:00Z' },
      { iniciado_em: '2026-11-29T16:52:00.000-03:00' },
    ];
    // act
    const messages = spellings.map((spelling) => realtimeEventSchema.safeParse({ ...event, ...spelling }).error?.issues.map((issue) => issue.message));
    // assess
    const expected = 'is not written as toISOString writes it (2026-11-29T21:30:00.000Z: milliseconds and Z, no offset)';
    expect(messages).toEqual([[expected], [expected]]);
    expect(realtimeEventSchema.safeParse(event).success).toBe(true);
  });
});
