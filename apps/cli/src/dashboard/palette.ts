/**
 * The colours of the pages in one colour scheme. The styles (as CSS custom properties) and the
 * page script (heat-map text, Chart.js) read them from here, so the two cannot drift apart.
 */
export interface Palette {
  /** The page behind the panels. */
  background: string;
  /** A panel; also what a heat-map cell's translucent shade lies over. */
  panel: string;
  text: string;
  /** Subtitles, notes and figure labels: 4.5:1 or more on the panel, as text must have. */
  muted: string;
  line: string;
  /** Chart.js axis ticks, axis titles and legends. */
  chartText: string;
  /** Chart.js grid lines and axis borders. */
  chartGrid: string;
}

/** The light scheme: what the pages had before they had a dark one, and what a printed page keeps. */
export const LIGHT: Palette = {
  background: '#f6f6fa',
  panel: '#ffffff',
  text: '#1f1f2e',
  muted: '#6b6b7b',
  line: '#e4e4ec',
  // Chart.js's own defaults, which the charts were drawn with.
  chartText: '#666666',
  chartGrid: 'rgba(0, 0, 0, 0.1)',
};

/** The dark scheme, for a screen whose reader asked for one (`prefers-color-scheme: dark`). */
export const DARK: Palette = {
  background: '#121218',
  panel: '#1c1c26',
  text: '#e6e6ef',
  muted: '#a3a3b5',
  line: '#34344a',
  chartText: '#b4b4c4',
  chartGrid: 'rgba(255, 255, 255, 0.14)',
};

/** The accent (Twitch purple) as RGB: heat-map shades are it at an opacity over the panel. */
export const ACCENT_RGB: readonly [number, number, number] = [145, 70, 255];

/**
 * A palette as the CSS custom properties the styles read (`--background`, `--panel`, …).
 *
 * @example
 * `:root { ${paletteProperties(LIGHT)} }`; // ':root { --background: #f6f6fa; --panel: #ffffff; … }'
 */
export function paletteProperties(palette: Palette): string {
  return Object.entries(palette)
    .map(([name, value]) => `--${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}: ${value};`)
    .join(' ');
}

function rgbOf(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [value >> 16, (value >> 8) & 255, value & 255];
}

/** WCAG relative luminance of an sRGB colour. */
function luminance(rgb: readonly number[]): number {
  const [r, g, b] = rgb.map((channel) => {
    const value = channel / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: number, b: number): number {
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

/**
 * The text colour a heat-map cell needs for a contrast of 4.5:1 (WCAG AA) on its shade, the
 * accent at `alpha` over the palette's panel; undefined where the palette's own text has it.
 * Otherwise white or black, whichever stands out more: in the light scheme each has about
 * 4.6:1 where they meet, and in the dark one white has 4.6:1 or more on every shade.
 *
 * @example
 * inkOn(0.08, LIGHT); // undefined: the page's dark grey reads on the palest shade
 * inkOn(1, LIGHT); // '#fff'
 */
export function inkOn(alpha: number, palette: Palette): string | undefined {
  const panel = rgbOf(palette.panel);
  const shade = luminance(panel.map((channel, index) => channel + alpha * (ACCENT_RGB[index]! - channel)));
  if (contrast(shade, luminance(rgbOf(palette.text))) >= 4.5) return undefined;
  return contrast(shade, 1) >= contrast(shade, 0) ? '#fff' : '#000';
}
