/**
 * @module config-notify — the settings of go-live notices and outbound webhooks, read from environment
 * variables and checked like the rest of the configuration (a bad value is a ConfigError naming the
 * variable): AMPHI_NOTIFY_RATE, AMPHI_WEBHOOK_URLS, AMPHI_WEBHOOK_ALLOW_PRIVATE. Read by main.ts beside
 * loadConfig (and by the test server), kept apart so the two files can change independently.
 */
import { WEBHOOK_EVENTS, type WebhookEvent, type WebhookTarget } from './control/webhook-sender.ts';
import { ConfigError } from './config.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface NotifyConfig {
  /** go-live notices per second (the fan-out's pace until admission drives it); 0 = unthrottled */
  readonly notifyRate: number;
  /** outbound webhooks: where, for which events, signed with which secret (null: the server's) */
  readonly webhooks: readonly WebhookTarget[];
  /** let webhooks reach loopback/private addresses (and plain http://); off in production */
  readonly webhookAllowPrivate: boolean;
}

export function loadNotifyConfig(env: Env): NotifyConfig {
  const raw = env['AMPHI_NOTIFY_RATE'] ?? '';
  if (raw !== '' && (!/^\d+$/.test(raw) || Number(raw) > 10_000_000)) {
    throw new ConfigError('AMPHI_NOTIFY_RATE', `AMPHI_NOTIFY_RATE must be a whole number from 0 (unthrottled) to 10000000 notices per second (got "${raw}")`);
  }
  const notifyRate = raw === '' ? 2_000 : Number(raw);
  const webhookAllowPrivate = booleanOf(env, 'AMPHI_WEBHOOK_ALLOW_PRIVATE');
  return { notifyRate, webhooks: webhooksOf(env, webhookAllowPrivate), webhookAllowPrivate };
}

function booleanOf(env: Env, name: string): boolean {
  const raw = (env[name] ?? '').toLowerCase();
  if (raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new ConfigError(name, `${name} must be true or false (got "${env[name] ?? ''}")`);
}

/**
 * AMPHI_WEBHOOK_URLS: entries separated by spaces, each `URL[|events[|secret]]`; events a comma list of
 * room.live, room.ended, room.scheduled (empty or * = all); secret at least 16 characters.
 */
function webhooksOf(env: Env, allowPrivate: boolean): WebhookTarget[] {
  const name = 'AMPHI_WEBHOOK_URLS';
  const raw = (env[name] ?? '').trim();
  if (raw === '') return [];
  const seen = new Set<string>();
  return raw.split(/\s+/).map((entry) => {
    const [rawUrl = '', rawEvents = '', secret = ''] = entry.split('|');
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new ConfigError(name, `${name}: "${rawUrl}" is not a URL (entries are URL|events|secret, separated by spaces)`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowPrivate)) {
      throw new ConfigError(name, `${name}: ${rawUrl} must be https:// (http:// only with AMPHI_WEBHOOK_ALLOW_PRIVATE=true)`);
    }
    if (url.username !== '' || url.password !== '') throw new ConfigError(name, `${name}: put no credentials in a webhook URL; use its secret`);
    if (seen.has(url.href)) throw new ConfigError(name, `${name}: ${url.href} is listed twice`);
    seen.add(url.href);
    const events = rawEvents === '' || rawEvents === '*' ? [...WEBHOOK_EVENTS] : rawEvents.split(',');
    const known = events.filter((e): e is WebhookEvent => (WEBHOOK_EVENTS as readonly string[]).includes(e));
    if (known.length !== events.length) throw new ConfigError(name, `${name}: events must be among ${WEBHOOK_EVENTS.join(', ')} (got "${rawEvents}")`);
    if (secret !== '' && secret.length < 16) throw new ConfigError(name, `${name}: a webhook secret must be at least 16 characters`);
    return { url: url.href, events: known, secret: secret === '' ? null : secret };
  });
}
