type StreamJson = Record<string, unknown>;

/**
 * Ways a Helix stream record can arrive broken: a field missing, null or of the wrong type.
 * Each kind is named so tests and the quarantine can tell them apart.
 */
export const MALFORMATIONS: Readonly<Record<string, (record: StreamJson) => void>> = {
  'missing id': (record) => {
    delete record.id;
  },
  'numeric user_id': (record) => {
    record.user_id = Number(record.user_id);
  },
  'null user_login': (record) => {
    record.user_login = null;
  },
  'viewer_count as string': (record) => {
    record.viewer_count = String(record.viewer_count);
  },
  'negative viewer_count': (record) => {
    record.viewer_count = -1 - Number(record.viewer_count);
  },
  'unparsable started_at': (record) => {
    record.started_at = 'yesterday evening';
  },
  'is_mature as string': (record) => {
    record.is_mature = String(record.is_mature);
  },
  'tags as string': (record) => {
    record.tags = Array.isArray(record.tags) ? record.tags.join(',') : 'English';
  },
  'missing title': (record) => {
    delete record.title;
  },
  'null game_name': (record) => {
    record.game_name = null;
  },
  'missing language': (record) => {
    delete record.language;
  },
  'fractional viewer_count': (record) => {
    record.viewer_count = Number(record.viewer_count) + 0.5;
  },
};

const KINDS = Object.keys(MALFORMATIONS);

/**
 * A broken copy of `record`: `selector` (any 32-bit integer, e.g. a hash) picks the kind, so
 * the caller decides what keeps a record broken the same way.
 *
 * @example
 * const broken = malform(stream, hash32(seed, Number(stream.id)));
 */
export function malform(record: object, selector: number): StreamJson {
  const copy: StreamJson = { ...record };
  MALFORMATIONS[KINDS[(selector >>> 0) % KINDS.length]!]!(copy);
  return copy;
}

/**
 * A copy of `record` with fields Helix does not document (yet).
 *
 * @example
 * withExtraFields(stream); // { ...stream, is_branded_content: false, content_classification_labels: [] }
 */
export function withExtraFields(record: object): StreamJson {
  return { ...record, is_branded_content: false, content_classification_labels: [], stream_quality: 'source' };
}
