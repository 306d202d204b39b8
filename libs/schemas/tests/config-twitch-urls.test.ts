import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return '';
}

describe('the Twitch API and auth URLs', () => {
  it.each([
    ['TWITCH_API_URL', 'https://analyst:s3cret-pass@api.twitch.tv/helix'],
    ['TWITCH_API_URL', 'https://api.twitch.tv/helix?client_secret=s3cret-pass'],
    ['TWITCH_AUTH_URL', 'https://id.twitch.tv/oauth2#s3cret-pass'],
  ])('refuses %s with credentials, a query or a fragment, without showing them', (variable, value) => {
    // act
    const message = problemsOf({ [variable]: value });
    // assess
    expect(message).toContain(`${variable}: must be a base URL without user:password@, ?query or #fragment`);
    expect(message).not.toContain('s3cret-pass');
  });

  it('takes a plain base URL, with or without a trailing slash', () => {
    // act
    const config = loadConfig({ TWITCH_API_URL: 'https://api.twitch.tv/helix/', TWITCH_AUTH_URL: 'http://127.0.0.1:8080/oauth2' });
    // assess
    expect(config.twitch.apiUrl).toBe('https://api.twitch.tv/helix');
    expect(config.twitch.authUrl).toBe('http://127.0.0.1:8080/oauth2');
  });
});
