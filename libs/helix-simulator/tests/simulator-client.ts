import type { HelixSimulator } from '../src/index';

/** Test-side helpers that speak HTTP to a running simulator, as any Helix client would. */
export async function requestToken(sim: HelixSimulator): Promise<string> {
  const response = await fetch(`${sim.authUrl}/token`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: sim.credentials.clientId,
      client_secret: sim.credentials.clientSecret,
      grant_type: 'client_credentials',
    }),
  });
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

export function helixGet(sim: HelixSimulator, token: string, path: string): Promise<Response> {
  return fetch(`${sim.apiUrl}${path}`, {
    headers: { 'Client-Id': sim.credentials.clientId, Authorization: `Bearer ${token}` },
  });
}

export interface StreamsPage {
  data: Array<Record<string, unknown>>;
  pagination: { cursor?: string };
}

/** Follows cursors from the first page until a page comes back empty or `maxPages` is reached. */
export async function crawl(sim: HelixSimulator, token: string, query: string, maxPages = 1_000): Promise<StreamsPage[]> {
  const pages: StreamsPage[] = [];
  let cursor: string | undefined;
  do {
    const after = cursor ? `&after=${encodeURIComponent(cursor)}` : '';
    const response = await helixGet(sim, token, `/streams?${query}${after}`);
    if (response.status !== 200) throw new Error(`page ${pages.length + 1}: HTTP ${response.status}`);
    const page = (await response.json()) as StreamsPage;
    pages.push(page);
    cursor = page.data.length > 0 ? page.pagination.cursor : undefined;
  } while (cursor && pages.length < maxPages);
  return pages;
}
