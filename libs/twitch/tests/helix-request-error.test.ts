import { describe, expect, it } from 'vitest';
import { HelixRequestError, isCredentialRefusal } from '../src/index';

describe('isCredentialRefusal', () => {
  it.each([
    ['the token endpoint refusing the secret (403)', new HelixRequestError('could not obtain an app token: (403): invalid client secret', 'token', 403), true],
    ['the token endpoint refusing the client id (400)', new HelixRequestError('could not obtain an app token: (400): invalid client', 'token', 400), true],
    ['Helix refusing a fresh token', new HelixRequestError('GET /streams (the app token was refused even after renewing it)', 'unauthorized', 401), true],
    ['the token endpoint down (503)', new HelixRequestError('could not obtain an app token: (503)', 'token', 503), false],
    ['the token endpoint unreachable', new HelixRequestError('could not obtain an app token: network error', 'token'), false],
    ['a refused Helix page', new HelixRequestError('GET /streams was refused (400): invalid cursor', 'invalid-cursor', 400), false],
    ['any other error', new Error('disk full'), false],
  ])('tells %s', (_case, error, refused) => {
    // act
    const answer = isCredentialRefusal(error);
    // assess
    expect(answer).toBe(refused);
  });

  it('finds the refusal under the errors that wrap it on the way up', () => {
    // prepare: how the extract step reports a crawl that could not start
    const refusal = new HelixRequestError('could not obtain an app token: (403): invalid client secret', 'token', 403);
    const wrapped = new Error('snapshot 20261206T170000Z failed, nothing was written: could not obtain an app token', { cause: refusal });
    // act
    const answer = isCredentialRefusal(wrapped);
    // assess
    expect(answer).toBe(true);
  });
});
