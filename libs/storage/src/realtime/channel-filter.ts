import { createHash } from 'node:crypto';

/** Opens every filter file, so that a stray or damaged file is never taken for a filter. */
const MAGIC = 'RTCF';
/** Bumped whenever the layout or the hashing changes: a filter of another version is not read. */
const FORMAT = 1;
const HEADER_BYTES = 10;
/** About 1 % of the channels a segment does not hold still read it: ~9.6 bits and 7 probes per channel. */
const BITS_PER_CHANNEL = 9.6;
const PROBES = 7;
/** A filter's bits when it holds no channel, or very few. */
const MIN_BITS = 64;

/** Two 32-bit hashes of a channel name; every probe is a mix of them (double hashing). */
function hashesOf(channel: string): [number, number] {
  const digest = createHash('md5').update(channel, 'utf8').digest();
  // An odd step visits distinct bits for every probe whatever the bit count.
  return [digest.readUInt32LE(0), (digest.readUInt32LE(4) | 1) >>> 0];
}

/**
 * The channels one finished segment holds, as a Bloom filter: a channel it holds is always
 * found, one it does not is found in about 1 % of cases (that segment is then read for nothing,
 * never left out). Its size is about 1.2 bytes per channel (92 kB for a whole-platform snapshot
 * of 76,000 channels), where a list of the names would take ten times that. A filter made with
 * `undefined` holds every channel: a segment with a line whose channel this code cannot tell
 * apart from a name (see `summarizeSegment`) is always read.
 *
 * @example
 * const filter = ChannelFilter.of(new Set(['gaules', 'casimito']));
 * filter.mayHold('gaules'); // true
 * filter.mayHold('nobody'); // false (true about once in a hundred names)
 * ChannelFilter.fromBytes(filter.toBytes())?.mayHold('gaules'); // true
 */
export class ChannelFilter {
  private constructor(
    /** 0 for a filter that holds every channel. */
    private readonly probes: number,
    private readonly bitCount: number,
    private readonly bits: Uint8Array,
  ) {}

  /** The filter of `channels`; undefined stands for "any channel", a filter that holds all. */
  static of(channels: ReadonlySet<string> | undefined): ChannelFilter {
    if (channels === undefined) return new ChannelFilter(0, 0, new Uint8Array(0));
    const bitCount = Math.max(MIN_BITS, Math.ceil(channels.size * BITS_PER_CHANNEL / 8) * 8);
    const filter = new ChannelFilter(PROBES, bitCount, new Uint8Array(bitCount / 8));
    for (const channel of channels) {
      for (const bit of filter.bitsOf(channel)) filter.bits[bit >>> 3]! |= 1 << (bit & 7);
    }
    return filter;
  }

  /** The filter stored as `bytes` by {@link toBytes}, or undefined when they are not one (the segment is then read). */
  static fromBytes(bytes: Uint8Array): ChannelFilter | undefined {
    if (bytes.length < HEADER_BYTES || Buffer.from(bytes.subarray(0, 4)).toString('latin1') !== MAGIC || bytes[4] !== FORMAT) return undefined;
    const probes = bytes[5]!;
    const bitCount = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).readUInt32LE(6);
    if (probes === 0) return bytes.length === HEADER_BYTES && bitCount === 0 ? ChannelFilter.of(undefined) : undefined;
    if (probes > 32 || bitCount === 0 || bitCount % 8 !== 0 || bytes.length !== HEADER_BYTES + bitCount / 8) return undefined;
    return new ChannelFilter(probes, bitCount, bytes.slice(HEADER_BYTES));
  }

  /** False only when the segment holds no line of `channel`. */
  mayHold(channel: string): boolean {
    if (this.probes === 0) return true;
    return this.bitsOf(channel).every((bit) => (this.bits[bit >>> 3]! & (1 << (bit & 7))) !== 0);
  }

  /** The filter as stored: a 10-byte header (magic, format, probes, bit count) and its bits. */
  toBytes(): Uint8Array {
    const bytes = Buffer.alloc(HEADER_BYTES + this.bits.length);
    bytes.write(MAGIC, 0, 'latin1');
    bytes[4] = FORMAT;
    bytes[5] = this.probes;
    bytes.writeUInt32LE(this.bitCount, 6);
    bytes.set(this.bits, HEADER_BYTES);
    return bytes;
  }

  private bitsOf(channel: string): number[] {
    const [first, step] = hashesOf(channel);
    const bits: number[] = [];
    for (let probe = 0; probe < this.probes; probe += 1) bits.push((first + probe * step) % this.bitCount);
    return bits;
  }
}
