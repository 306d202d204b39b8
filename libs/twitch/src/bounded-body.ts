import { HelixRequestError } from './helix-request-error';

/**
 * Default cap on a response body, 8 MiB. A `/streams` page of 100 streams is about 100 kB and an
 * odd one (long titles, many tags) a few hundred: the cap leaves a wide margin above any real
 * page, while three concurrent language crawls stay far below a small function's memory even if
 * every one of them meets a runaway body.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** A byte count for a message: `8 MiB`, `512 kB`, `900 bytes`. */
function sizeOf(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${bytes} bytes`;
}

/**
 * The body of `response` as text, read chunk by chunk and given up on as soon as it passes
 * `maxBytes` (the declared `Content-Length` is checked first, but a chunked or compressed body
 * declares nothing useful, so the bytes read are what count). Over the cap it throws a
 * `too-large` {@link HelixRequestError}, which is not retried: a body too long is not a
 * truncated one, and the same URL gives the same runaway answer on the next try.
 *
 * @example
 * const text = await readBoundedText(response, DEFAULT_MAX_RESPONSE_BYTES, 'GET /streams');
 */
export async function readBoundedText(response: Response, maxBytes: number, label: string): Promise<string> {
  const tooLarge = (detail: string) =>
    new HelixRequestError(
      `${label} returned a body over the response size limit of ${sizeOf(maxBytes)} (${detail}, status ${response.status}); it is not retried`,
      'too-large',
      response.status,
    );
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(`Content-Length ${sizeOf(declared)}`);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      // Cancelling closes the connection instead of draining the rest of a runaway body.
      await reader.cancel().catch(() => undefined);
      throw tooLarge(`reading stopped after ${sizeOf(total)}`);
    }
    chunks.push(value);
  }
  // Decoded as `response.text()` does: UTF-8, a leading byte-order mark dropped.
  return new TextDecoder().decode(Buffer.concat(chunks, total));
}
