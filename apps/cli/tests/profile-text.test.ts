import { describe, expect, it } from 'vitest';
import type { CategoryProfile } from '../src/profiles/category-profile';
import type { ChannelProfile } from '../src/profiles/channel-profile';
import { categoryText, channelText } from '../src/profiles/profile-text';

/** An OSC that retitles the terminal, an SGR that paints it red, and an override that reverses the text after it. */
const HOSTILE = '\u001b]0;PWNED\u0007\u001b[41m\u202e';
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const RANGE = { from: '2026-11-20', to: '2026-11-20' };

/** A channel's profile of one day with nothing in it but `fields`. */
function channelProfile(fields: Partial<ChannelProfile>): ChannelProfile {
  return { kind: 'channel', login: 'gaules', range: RANGE, summary: { dias_ao_vivo: 1 }, categories: [], heatmap: [], trend: [], languages: [], rank: null, lastSample: null, ...fields };
}

describe('profile text', () => {
  it('prints the names and titles of the lake outside its tables without the sequences they hold', () => {
    // prepare
    const channel = channelProfile({
      languages: [{ idioma: `${HOSTILE}pt`, pct_horas_assistidas: 100 }],
      rank: { idioma: `${HOSTILE}pt`, posicao_horas_assistidas: 1, canais: 2, posicao_media_espectadores: 1 },
      lastSample: { coletado_em: '2026-11-20T12:00:00Z', espectadores: 5, nome_categoria: `${HOSTILE}EvilCat`, titulo: `${HOSTILE}ao vivo` },
    });
    const category: CategoryProfile = {
      kind: 'category',
      name: `${HOSTILE}EvilCat`,
      range: RANGE,
      summary: { tipo_conteudo: `${HOSTILE}jogo`, dias: 1 },
      hours: [],
      bestHours: [],
      topChannels: [],
      languages: [],
      trend: [],
    };

    // act
    const texts = [channelText(channel), categoryText(category)];

    // assess
    for (const text of texts) expect(text).not.toMatch(UNSAFE);
    expect(texts[0]).toContain('rank in "pt": #1 of 2');
    expect(texts[0]).toContain('languages (share of hours watched): pt 100 %');
    expect(texts[0]).toContain('5 viewers, EvilCat — "ao vivo"');
    expect(texts[1]).toContain('Category EvilCat (jogo) · 2026-11-20 → 2026-11-20');
    // A category's average and peak are of its channels one at a time, not of its whole audience.
    expect(texts[1]).toMatch(/average viewers per live channel \S+ · peak of one channel /);
  });

  it('leaves blank in the heat-map an hour with no minutes on air yet, rather than shading it as 0 viewers', () => {
    // prepare: Monday 18h aired; 19h holds only the newest snapshot, taken at its start (channel_heatmap's average is then null)
    const channel = channelProfile({
      heatmap: [
        { dia_semana: 1, hora_dia: 18, horas_transmitidas: 1, media_espectadores: 7388.3, dias: 1, amostras: 2 },
        { dia_semana: 1, hora_dia: 19, horas_transmitidas: 0, media_espectadores: null, dias: 1, amostras: 1 },
      ],
    });

    // act
    const text = channelText(channel);

    // assess: hours 00 to 17 are not live, 18 the darkest shade, 19 to 23 not live
    const monday = text.split('\n').find((line) => line.startsWith('  Mon '));
    expect(monday).toBe(`  Mon ${[...Array(18).fill(' ·'), '██', ...Array(5).fill(' ·')].join(' ')}`);
  });

  it('shades a heat-map cell as its legend says, a cell at exactly a quarter of the top in the lighter shade', () => {
    // prepare: Monday 20h to 23h at 0.75, 1, 1.5 and 3 viewers: the legend's bounds are 0.75, 1.5, 2.25 and 3
    const channel = channelProfile({
      heatmap: [0.75, 1, 1.5, 3].map((viewers, index) => ({ dia_semana: 1, hora_dia: 20 + index, horas_transmitidas: 1, media_espectadores: viewers, dias: 1, amostras: 2 })),
    });

    // act
    const text = channelText(channel);

    // assess
    const monday = text.split('\n').find((line) => line.startsWith('  Mon '));
    expect(monday).toBe(`  Mon ${[...Array(20).fill(' ·'), '░░', '▒▒', '▒▒', '██'].join(' ')}`);
    expect(text).toContain('░ ▒ ▓ █ = up to 0.8 / 1.5 / 2.3 / 3 average viewers');
  });
});
