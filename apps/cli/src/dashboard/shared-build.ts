/**
 * A build that requests arriving while it runs share, rather than each starting its own: every
 * load of a served dashboard queries the whole lake, and six at once held six times the memory
 * (1.78 GB at a full-platform day, where one holds about 130 MB). A request that arrives mid-build
 * gets that build's page, from the lake as it was a moment before it asked; the next request after
 * it settles starts a fresh one.
 *
 * @example
 * const page = sharedBuild(() => buildPage());
 * const [a, b] = await Promise.all([page(), page()]); // one build, one page
 */
export function sharedBuild<T>(build: () => Promise<T>): { (): Promise<T>; readonly building: boolean } {
  let current: Promise<T> | undefined;
  const shared = () => {
    current ??= build().finally(() => {
      current = undefined;
    });
    return current;
  };
  return Object.defineProperty(shared, 'building', { get: () => current !== undefined }) as { (): Promise<T>; readonly building: boolean };
}
