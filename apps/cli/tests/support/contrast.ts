/** The red, green, blue and alpha of `#rrggbb`, `rgb(…)` or `rgba(…)`, as a browser or Chart.js gives them. */
function channelsOf(color: string): [number, number, number, number] {
  if (color.startsWith('#')) {
    const value = Number.parseInt(color.slice(1, 7), 16);
    return [value >> 16, (value >> 8) & 255, value & 255, 1];
  }
  const [r = 0, g = 0, b = 0, alpha = 1] = (color.match(/[\d.]+/g) ?? []).map(Number);
  return [r, g, b, alpha];
}

function luminance(rgb: number[]): number {
  const [r, g, b] = rgb.map((value) => {
    const c = value / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * `color` laid over `backdrop` (itself opaque): what the eye sees of a translucent colour.
 *
 * @example
 * blend('rgba(0, 0, 0, 0.5)', '#ffffff'); // [127.5, 127.5, 127.5]
 */
export function blend(color: string, backdrop: string): number[] {
  const [r, g, b, alpha] = channelsOf(color);
  const under = channelsOf(backdrop);
  return [r, g, b].map((value, index) => value * alpha + under[index]! * (1 - alpha));
}

/**
 * WCAG contrast ratio of a text colour on a background, a translucent background blended over
 * `backdrop` (white unless given: the light panel).
 *
 * @example
 * contrast('rgb(0, 0, 0)', 'rgb(255, 255, 255)'); // 21
 * contrast('#ffffff', 'rgba(145, 70, 255, 1)', '#1c1c26'); // about 4.6
 */
export function contrast(foreground: string, background: string, backdrop = '#ffffff'): number {
  const under = blend(background, backdrop);
  const [a, b] = [luminance(blend(foreground, `rgb(${under.join(', ')})`)), luminance(under)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

/**
 * What shows behind an element: the background colours from it up to the first opaque one
 * (as `layers` lists them, innermost first), laid one over the other.
 *
 * @example
 * backdropOf(['rgba(0, 0, 0, 0)', 'rgb(28, 28, 38)']); // 'rgb(28, 28, 38)'
 */
export function backdropOf(layers: string[]): string {
  return layers.reduceRight((under, layer) => `rgb(${blend(layer, under).join(', ')})`, '#ffffff');
}

/**
 * The relative luminance of a colour (0 black … 1 white), to tell a dark page from a light one.
 *
 * @example
 * lightness('#ffffff'); // 1
 */
export function lightness(color: string): number {
  return luminance(blend(color, '#000000'));
}
