import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    // act
    const config = loadConfig({});

    // assess
    expect(config).toMatchObject({
      languages: ['pt', 'en', 'es'],
      intervalMinutes: 30,
      timeZone: 'America/Sao_Paulo',
      dataDir: './data',
      maxStreamsPerLanguage: undefined,
      queueMaxReceives: 3,
      twitch: { apiUrl: 'https://api.twitch.tv/helix', authUrl: 'https://id.twitch.tv/oauth2' },
    });
  });

  it('reads every variable', () => {
    // act
    const config = loadConfig({
      TWITCH_CLIENT_ID: 'id',
      TWITCH_CLIENT_SECRET: 'secret',
      TWITCH_API_URL: 'http://127.0.0.1:4000/helix/',
      PIPELINE_LANGUAGES: ' all ',
      PIPELINE_MAX_STREAMS_PER_LANGUAGE: '100',
      PIPELINE_INTERVAL_MINUTES: '15',
      PIPELINE_TIMEZONE: 'Europe/Berlin',
      LAKE_BUCKET: 'lake',
      REALTIME_TABLE: 'events',
    });

    // assess
    expect(config.languages).toEqual(['all']);
    expect(config.maxStreamsPerLanguage).toBe(100);
    expect(config.intervalMinutes).toBe(15);
    expect(config.twitch.apiUrl).toBe('http://127.0.0.1:4000/helix');
    expect(config.aws).toMatchObject({ lakeBucket: 'lake', realtimeTable: 'events' });
  });

  it('reads a zone typed in another case in its database spelling, keeps a link as written, and each language once', () => {
    // prepare: silver records the zone it dated each row in, so `america/sao_paulo` and `America/Sao_Paulo` read as two zones
    const spellings = ['america/sao_paulo', 'AMERICA/SAO_PAULO', 'utc', 'Asia/Kolkata'];

    // act
    const zones = spellings.map((zone) => loadConfig({ PIPELINE_TIMEZONE: zone }).timeZone);
    const languages = loadConfig({ PIPELINE_LANGUAGES: 'PT,pt, pt,en' }).languages;

    // assess
    expect(zones).toEqual(['America/Sao_Paulo', 'America/Sao_Paulo', 'UTC', 'Asia/Kolkata']);
    expect(languages).toEqual(['pt', 'en']);
  });

  it('names every bad variable at once, and why', () => {
    // prepare
    const env = {
      PIPELINE_INTERVAL_MINUTES: 'half an hour',
      PIPELINE_TIMEZONE: 'Mars/Olympus',
      PIPELINE_LANGUAGES: 'pt,all',
      PIPELINE_MAX_STREAMS_PER_LANGUAGE: '0',
      TWITCH_API_URL: 'not a url',
    };

    // act
    let error: unknown;
    try {
      loadConfig(env);
    } catch (caught) {
      error = caught;
    }

    // assess
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(problems).toEqual([
      'PIPELINE_INTERVAL_MINUTES',
      'PIPELINE_LANGUAGES',
      'PIPELINE_MAX_STREAMS_PER_LANGUAGE',
      'PIPELINE_TIMEZONE',
      'TWITCH_API_URL',
    ]);
    expect((error as Error).message).toContain('PIPELINE_INTERVAL_MINUTES: must be a positive whole number (got "half an hour")');
    expect((error as Error).message).toContain('PIPELINE_TIMEZONE: must be an IANA time zone');
  });

  it('calls a negative count not positive, and one of 20 digits past its maximum', () => {
    // prepare
    const env = { PIPELINE_INTERVAL_MINUTES: '-30', QUEUE_MAX_RECEIVES: '-1', REALTIME_TTL_HOURS: '99999999999999999999' };

    // act
    const outcome = () => loadConfig(env);

    // assess
    expect(outcome).toThrow(ConfigError);
    expect(outcome).toThrow('PIPELINE_INTERVAL_MINUTES: must be a positive whole number (got "-30")');
    expect(outcome).toThrow('QUEUE_MAX_RECEIVES: must be a positive whole number (got "-1")');
    expect(outcome).toThrow('REALTIME_TTL_HOURS: must be at most 8784 (got "99999999999999999999")');
  });

  it('shows a refused URL without the credentials or query it may carry', () => {
    // prepare
    const env = { TWITCH_API_URL: 'http://analyst:pw-SENT/1@example.com/helix', TWITCH_AUTH_URL: 'http://example.com/oauth2?client_secret=sec-SENT#x' };

    // act
    const outcome = () => loadConfig(env);

    // assess
    expect(outcome).toThrow('TWITCH_API_URL: Invalid URL (got "http://example.com/helix")');
    expect(outcome).toThrow('TWITCH_AUTH_URL: must be https (plain http only to a loopback host such as 127.0.0.1): it carries the app credentials and tokens (got "http://example.com/oauth2")');
    expect(outcome).not.toThrow(/SENT/);
  });

  it('trims the Twitch credentials, and refuses one with a line break or space inside without echoing the secret', () => {
    // prepare
    const saved = { TWITCH_CLIENT_ID: ' app-id\n', TWITCH_CLIENT_SECRET: 'secret\n' };
    const pasted = { TWITCH_CLIENT_ID: 'app\nid', TWITCH_CLIENT_SECRET: 'top secret' };

    // act
    const config = loadConfig(saved);
    const refused = () => loadConfig(pasted);

    // assess
    expect([config.twitch.clientId, config.twitch.clientSecret]).toEqual(['app-id', 'secret']);
    expect(refused).toThrow(ConfigError);
    expect(refused).toThrow(/TWITCH_CLIENT_ID: must not hold spaces, line breaks or control characters inside \(pasted with one\?\)/);
    expect(refused).toThrow(/TWITCH_CLIENT_SECRET: must not hold spaces, line breaks or control characters inside/);
    expect(refused).not.toThrow(/top secret/);
  });

  it('never echoes the client secret', () => {
    // prepare
    const secret = 'super-secret-value-123';

    // act + assess
    expect(() => loadConfig({ TWITCH_CLIENT_SECRET: secret })).toThrow(/TWITCH_CLIENT_ID/);
    try {
      loadConfig({ TWITCH_CLIENT_SECRET: secret });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(secret);
    }
  });

  it('refuses plain-http Twitch URLs to any host but loopback, naming both variables in one message', () => {
    // prepare
    const env = { TWITCH_API_URL: 'http://api.twitch.tv/helix', TWITCH_AUTH_URL: 'http://10.0.0.5/oauth2' };

    // act
    const outcome = () => loadConfig(env);

    // assess
    expect(outcome).toThrow(ConfigError);
    expect(outcome).toThrow(/TWITCH_API_URL: must be https[^\n]*\n\s+- TWITCH_AUTH_URL: must be https/);
    for (const loopback of ['http://127.0.0.1:4000/helix', 'http://localhost:4000/helix', 'http://[::1]:4000/helix']) {
      expect(loadConfig({ TWITCH_API_URL: loopback }).twitch.apiUrl).toBe(loopback);
    }
  });

  it('refuses alert rules given both as a file and inline, rather than ignore one', () => {
    // act
    const outcome = () => loadConfig({ ALERT_RULES_FILE: 'rules.json', ALERT_RULES: '{"rules":[]}' });

    // assess
    expect(outcome).toThrow(ConfigError);
    expect(outcome).toThrow('ALERT_RULES_FILE and ALERT_RULES are both set: set one of them, not both');
    expect(loadConfig({ ALERT_RULES_FILE: 'rules.json', ALERT_RULES: ' ' }).alertRulesFile).toBe('rules.json');
  });

  it('reads the maximum snapshot age, 180 minutes by default', () => {
    // act + assess
    expect(loadConfig({}).maxSnapshotAgeMinutes).toBe(180);
    expect(loadConfig({ PIPELINE_MAX_SNAPSHOT_AGE_MINUTES: '90' }).maxSnapshotAgeMinutes).toBe(90);
    expect(() => loadConfig({ PIPELINE_MAX_SNAPSHOT_AGE_MINUTES: '0' })).toThrow(/PIPELINE_MAX_SNAPSHOT_AGE_MINUTES: must be at least 1/);
  });
});
