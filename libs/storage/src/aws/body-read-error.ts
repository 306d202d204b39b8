/**
 * Raised while an answer's body streamed, after its headers: the read is taken again. Internal to
 * the S3 object store, which throws and catches it: the package does not export it.
 *
 * @example
 * // In a GetObject's body read: the caught error makes the whole GetObject go again.
 * throw new BodyReadError('body read failed', { cause: error });
 */
export class BodyReadError extends Error {}
