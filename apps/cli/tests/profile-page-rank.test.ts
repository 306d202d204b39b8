import { describe, expect, it } from 'vitest';
import type { ChannelProfile } from '../src/profiles/channel-profile';
import { channelPanels } from '../src/profiles/profile-page';
import { channelText } from '../src/profiles/profile-text';

describe("a channel page's rank", () => {
  it('groups its thousands as the terminal does', () => {
    // prepare: a small channel far down a large language
    const profile: ChannelProfile = {
      kind: 'channel',
      login: 'canal',
      range: { from: '2026-12-05', to: '2026-12-07' },
      summary: { dias_ao_vivo: 3, horas_transmitidas: 1.8, horas_assistidas: 4.3, media_espectadores: 2.3, pico_espectadores: 3, transmissoes: 3 },
      categories: [],
      heatmap: [],
      trend: [],
      languages: [{ idioma: 'en', horas_transmitidas: 1.8, horas_assistidas: 4.3, pct_horas_assistidas: 100 }],
      rank: { idioma: 'en', posicao_horas_assistidas: 32327, posicao_media_espectadores: 24988, canais: 34449, horas_assistidas: 4.3, media_espectadores: 2.3 },
      lastSample: null,
    };

    // act
    const stats = channelPanels(profile).find((panel) => panel.kind === 'stats')!;
    const rank = stats.rows.find((row) => row[0] === 'rank in en')!;
    const text = channelText(profile);

    // assess
    expect(rank.slice(1)).toEqual(['#32,327 of 34,449', 'by hours watched; #24,988 by average viewers']);
    expect(text).toContain('rank in "en": #32,327 of 34,449 by hours watched, #24,988 by average viewers');
  });
});
