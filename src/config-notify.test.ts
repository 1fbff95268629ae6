/** @module config-notify.test — the notice rate and webhook settings: defaults, accepted forms, and each bad value named. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config.ts';
import { loadNotifyConfig } from './config-notify.ts';

const failure = (env: Record<string, string>) => {
  try {
    loadNotifyConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return { variable: err.variable, message: err.message };
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('notify configuration', () => {
  it('defaults to 2000 notices per second, no webhooks, private addresses refused', () => {
    expect(loadNotifyConfig({})).toEqual({ notifyRate: 2000, webhooks: [], webhookAllowPrivate: false });
  });

  it('reads webhooks as URL|events|secret entries, all events when none are named', () => {
    const c = loadNotifyConfig({
      AMPHI_NOTIFY_RATE: '0',
      AMPHI_WEBHOOK_URLS: 'https://push.example/hook|room.live,room.ended  https://cdn.example/warm||a-secret-of-20-chars',
    });
    expect(c.notifyRate).toBe(0);
    expect(c.webhooks).toEqual([
      { url: 'https://push.example/hook', events: ['room.live', 'room.ended'], secret: null },
      { url: 'https://cdn.example/warm', events: ['room.live', 'room.ended', 'room.scheduled'], secret: 'a-secret-of-20-chars' },
    ]);
  });

  it('allows plain http only with AMPHI_WEBHOOK_ALLOW_PRIVATE=true', () => {
    expect(failure({ AMPHI_WEBHOOK_URLS: 'http://127.0.0.1:9/hook' })).toMatchObject({ variable: 'AMPHI_WEBHOOK_URLS', message: expect.stringContaining('https://') });
    expect(loadNotifyConfig({ AMPHI_WEBHOOK_URLS: 'http://127.0.0.1:9/hook', AMPHI_WEBHOOK_ALLOW_PRIVATE: 'true' }).webhooks).toHaveLength(1);
  });

  it('names the variable of each bad value', () => {
    expect(failure({ AMPHI_NOTIFY_RATE: 'fast' }).variable).toBe('AMPHI_NOTIFY_RATE');
    expect(failure({ AMPHI_WEBHOOK_ALLOW_PRIVATE: 'yes' }).variable).toBe('AMPHI_WEBHOOK_ALLOW_PRIVATE');
    expect(failure({ AMPHI_WEBHOOK_URLS: 'not a url' }).variable).toBe('AMPHI_WEBHOOK_URLS');
    expect(failure({ AMPHI_WEBHOOK_URLS: 'https://a.example/h|room.exploded' }).message).toContain('room.live');
    expect(failure({ AMPHI_WEBHOOK_URLS: 'https://a.example/h||short' }).message).toContain('16');
    expect(failure({ AMPHI_WEBHOOK_URLS: 'https://user:pw@a.example/h' }).message).toContain('credentials');
  });
});
