import { hash32 } from './random';

/** What a `/helix/streams` cursor stands for: offsets into the ordering at the time of the page. */
export interface CursorState {
  /** Offset of the first record after the page (`after=`). */
  readonly after: number;
  /** Offset of the first record of the page (`before=`). */
  readonly before: number;
  /** Streams that went live at the top of the list since the crawl began (list drift). */
  readonly drift: number;
}

function signatureOf(seed: number, state: CursorState): number {
  return hash32(seed, state.after, state.before, state.drift) % 1_000_000;
}

/**
 * An opaque Helix-style cursor: base64 JSON of offsets, as Twitch's own cursors are, plus a
 * signature so that a cursor this server never issued is rejected.
 *
 * @example
 * encodeCursor({ after: 100, before: 0, drift: 0 }, 1); // 'eyJiIjp7Ik9mZnNldCI6MH0s…'
 */
export function encodeCursor(state: CursorState, seed: number): string {
  const body = { b: { Offset: state.before }, a: { Offset: state.after }, d: state.drift, s: signatureOf(seed, state) };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

function isOffset(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/**
 * The state of a cursor issued by this server, or `undefined` for anything else.
 *
 * @example
 * decodeCursor(encodeCursor({ after: 100, before: 0, drift: 0 }, 1), 1); // { after: 100, before: 0, drift: 0 }
 * decodeCursor('not-a-cursor', 1); // undefined
 */
export function decodeCursor(text: string, seed: number): CursorState | undefined {
  try {
    const body = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as {
      b?: { Offset?: unknown };
      a?: { Offset?: unknown };
      d?: unknown;
      s?: unknown;
    };
    const state = { after: body.a?.Offset, before: body.b?.Offset, drift: body.d };
    if (!isOffset(state.after) || !isOffset(state.before) || !isOffset(state.drift)) return undefined;
    const valid = { after: state.after, before: state.before, drift: state.drift };
    return body.s === signatureOf(seed, valid) ? valid : undefined;
  } catch {
    return undefined;
  }
}
