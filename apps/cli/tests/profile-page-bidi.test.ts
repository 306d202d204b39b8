import { describe, expect, it } from 'vitest';
import type { ChannelProfile } from '../src/profiles/channel-profile';
import { channelPanels } from '../src/profiles/profile-page';

describe("a channel page's last real-time sample", () => {
  it('isolates the category and the title, so a right-to-left one cannot split the other around it', () => {
    // prepare: a Hebrew category beside a Hebrew title that ends in Latin words and a number
    const profile: ChannelProfile = {
      kind: 'channel',
      login: 'canal',
      range: { from: '2026-12-01', to: '2026-12-01' },
      summary: { horas_transmitidas: 1, horas_assistidas: 10, media_espectadores: 10, pico_espectadores: 12, dias_ao_vivo: 1 },
      categories: [],
      heatmap: [],
      trend: [],
      languages: [],
      rank: null,
      lastSample: { coletado_em: '2026-12-01T21:30:00.000Z', espectadores: 12, nome_categoria: 'משחקים ישראליים', titulo: 'שידור חי עם Minecraft 123' },
    };

    // act
    const stats = channelPanels(profile).find((panel) => panel.kind === 'stats')!;
    const detail = stats.rows.find((row) => row[0] === 'last real-time sample')![2];

    // assess
    expect(detail).toBe('2026-12-01 21:30 UTC · \u2068משחקים ישראליים\u2069 · \u2068שידור חי עם Minecraft 123\u2069');
  });
});
