/**
 * Raised while an answer's body streamed, after its headers: the read is taken again. Internal to
 * the S3 object store, which throws and catches it: the package does not export it.
 */
export class BodyReadError extends Error {}
