/**
 * A failed crawl's error, named for its snapshot. It keeps the name of the error under it
 * (`HelixRequestError`, `TimeoutError`): a Lambda reports an error's name as the `Error` that
 * Step Functions, its retriers and the alerts topic see, and a bare `Error` says nothing of what failed.
 *
 * @example
 * crawlFailure('20261129T213000Z', timeout); // named TimeoutError: 'snapshot 20261129T213000Z failed, nothing was written: …'
 */
export function crawlFailure(snapshotId: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const failure = new Error(`snapshot ${snapshotId} failed, nothing was written: ${message}`, { cause: error });
  if (error instanceof Error && error.name) failure.name = error.name;
  return failure;
}
