import { afterEach, describe, expect, it } from 'vitest';
import { type HelixSimulator, startHelixSimulator } from '../src/index';
import { helixGet, requestToken } from './simulator-client';

const START = new Date('2026-03-11T01:30:00Z');

describe('token lifetime', () => {
  let sim: HelixSimulator;

  afterEach(async () => {
    await sim.close();
  });

  it('expires short tokens on the real clock and issues fresh ones', async () => {
    // prepare
    sim = await startHelixSimulator({ averageLiveChannels: 500, startTime: START, faults: { tokenLifetimeSeconds: 2 } });
    const token = await requestToken(sim);
    const whileValid = await helixGet(sim, token, '/streams?first=1');

    // act
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const afterExpiry = await helixGet(sim, token, '/streams?first=1');
    const renewed = await helixGet(sim, await requestToken(sim), '/streams?first=1');

    // assess
    expect(whileValid.status).toBe(200);
    expect(afterExpiry.status).toBe(401);
    expect(await afterExpiry.json()).toEqual({ error: 'Unauthorized', status: 401, message: 'Invalid OAuth token' });
    expect(renewed.status).toBe(200);
    expect(sim.stats().tokensIssued).toBe(2);
  });

  it('expires tokens when the virtual clock passes their lifetime', async () => {
    // prepare
    sim = await startHelixSimulator({ averageLiveChannels: 500, startTime: START, tokenLifetimeSeconds: 3_600 });
    const token = await requestToken(sim);

    // act
    sim.clock.advance(3_600_000);
    const response = await helixGet(sim, token, '/streams?first=1');

    // assess
    expect(response.status).toBe(401);
  });

  it('refuses a token used with another Client-Id', async () => {
    // prepare
    sim = await startHelixSimulator({ averageLiveChannels: 500, startTime: START });
    const token = await requestToken(sim);

    // act
    const response = await fetch(`${sim.apiUrl}/streams`, {
      headers: { 'Client-Id': 'someotherclientid', Authorization: `Bearer ${token}` },
    });

    // assess
    expect(response.status).toBe(401);
  });

  it('refuses grant types other than client_credentials', async () => {
    // prepare
    sim = await startHelixSimulator({ averageLiveChannels: 500, startTime: START });

    // act
    const response = await fetch(`${sim.authUrl}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: sim.credentials.clientId,
        client_secret: sim.credentials.clientSecret,
        grant_type: 'authorization_code',
      }),
    });

    // assess
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ status: 400, message: 'unsupported grant type' });
  });
});
