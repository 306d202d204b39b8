import { describe, expect, it } from 'vitest';
import type { DashboardData } from '../src/dashboard/model';
import { dashboardHtml } from '../src/dashboard/page';

describe('a page opened with scripts turned off', () => {
  it('says in place of the panels why they are missing and what to allow', async () => {
    // prepare
    const data: DashboardData = { generatedAt: '2026-12-07T12:00:00.000Z', dataDir: 'data', timeZone: 'UTC', panels: [] };

    // act
    const html = await dashboardHtml(data);

    // assess
    expect(html).toMatch(/<main id="panels"><noscript><p>The panels are drawn by this page's own script[^<]*allow JavaScript[^<]*<\/p><\/noscript><\/main>/);
  });
});
