import { queueEnvelopeSchema } from '@twitch-pipeline/schemas';
import { describe, expect, it } from 'vitest';
import { packEnvelopes, singleEventBytes } from '../src/index';
import { sampleEvents } from './realtime-fixtures';

const SNAPSHOT_ID = '20261129T213000Z';
/** A title of U+FFFE and U+FFFF, 3 bytes each in UTF-8 and 6 each as a JSON escape. */
const TITLE = `ao vivo ${'\uFFFE\uFFFF'.repeat(100)}`;

describe('packEnvelopes, on text SQS refuses raw', () => {
  it('writes U+FFFE and U+FFFF as JSON escapes that parse back to the same text', () => {
    // prepare
    const events = sampleEvents(3, 'a').map((event) => ({ ...event, titulo: TITLE }));
    // act
    const [message] = packEnvelopes(SNAPSHOT_ID, events);
    // assess
    expect(message!.body).not.toMatch(/[\uFFFE\uFFFF]/);
    expect(message!.body).toContain('ao vivo \\ufffe\\uffff\\ufffe');
    expect(queueEnvelopeSchema.parse(JSON.parse(message!.body)).events).toEqual(events);
  });

  it('measures sizes, and keeps the byte limit, on the escaped text that is sent', () => {
    // prepare: room for two events sent raw (3 bytes a character, as "€" is), for one once escaped
    const events = sampleEvents(4, 'a').map((event) => ({ ...event, titulo: TITLE }));
    const maxBytes = 2 * singleEventBytes(SNAPSHOT_ID, { ...events[0]!, titulo: `ao vivo ${'€€'.repeat(100)}` });
    // act
    const messages = packEnvelopes(SNAPSHOT_ID, events, { maxBytes });
    // assess
    expect(singleEventBytes(SNAPSHOT_ID, events[0]!)).toBe(Buffer.byteLength(packEnvelopes(SNAPSHOT_ID, [events[0]!])[0]!.body));
    expect(messages.map((message) => message.events)).toEqual([1, 1, 1, 1]);
    for (const message of messages) expect(message.bytes).toBe(Buffer.byteLength(message.body));
    expect(Math.max(...messages.map((message) => message.bytes))).toBeLessThanOrEqual(maxBytes);
  });
});
