import { describe, expect, it } from 'vitest';
import { sharedBuild } from '../src/dashboard/shared-build';

describe('sharedBuild', () => {
  it('gives the requests that arrive while a build runs that build, and starts a fresh one after it', async () => {
    // prepare
    let builds = 0;
    let finish = (_value: string) => {};
    const page = sharedBuild(
      () =>
        new Promise<string>((resolve) => {
          builds += 1;
          finish = resolve;
        }),
    );

    // act
    const during = [page(), page(), page()];
    const building = page.building;
    finish('first');
    const pages = await Promise.all(during);
    const after = page();
    finish('second');

    // assess
    expect(building).toBe(true);
    expect(pages).toEqual(['first', 'first', 'first']);
    expect(await after).toBe('second');
    expect(builds).toBe(2);
    expect(page.building).toBe(false);
  });

  it('lets the next request try again after a build failed', async () => {
    // prepare
    let attempt = 0;
    const page = sharedBuild(async () => {
      attempt += 1;
      if (attempt === 1) throw new Error('lake locked');
      return 'page';
    });

    // act
    const failed = await page().catch((error: Error) => error.message);
    const next = await page();

    // assess
    expect([failed, next]).toEqual(['lake locked', 'page']);
  });
});
