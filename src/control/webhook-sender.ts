/**
 * @module webhook-sender — outbound webhooks for other systems (push services, email, a CDN warm-up):
 * `emit` queues one durable delivery per configured URL that wants the event (room.live, room.ended,
 * room.scheduled), and the sender POSTs due deliveries, signed with HMAC-SHA256 (webhook-signature.ts),
 * retrying failures with exponential backoff and jitter until the policy gives up. Only https:// (http://
 * only when the operator allows private addresses), never to a private address unless allowed, checked
 * on the resolved address the socket then uses. Never follows redirects; never blocks room actions.
 */
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { RoomState } from '../domain/room-state.ts';
import type { WebhookAttempt, WebhookDelivery } from '../store/notify-types.ts';
import type { Store } from '../store/types.ts';
import { guardedLookup, literalRefused, WebhookAddressError } from './webhook-address.ts';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signature.ts';
import { Doze } from '../lib/doze.ts';

export const WEBHOOK_EVENTS = ['room.live', 'room.ended', 'room.scheduled'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookTarget {
  readonly url: string;
  readonly events: readonly WebhookEvent[];
  /** null: sign with the server's secret */
  readonly secret: string | null;
}

/** `null` means stop retrying; `attempt` counts the attempts made so far (1 after the first failure) */
export interface RetryPolicy {
  nextRetryDelayMs(attempt: number): number | null;
}

export class BackoffPolicy implements RetryPolicy {
  constructor(
    readonly baseMs = 5_000,
    readonly maxAttempts = 8,
    readonly capMs = 3_600_000,
    readonly random: () => number = Math.random,
  ) {}

  /** base·2^(attempt−1), capped, with up to half of it taken off at random so retries do not align */
  nextRetryDelayMs(attempt: number): number | null {
    if (attempt >= this.maxAttempts) return null;
    const full = Math.min(this.capMs, this.baseMs * 2 ** (attempt - 1));
    return Math.round(full * (0.5 + this.random() / 2));
  }
}

export interface WebhookSenderDeps {
  readonly store: Store;
  readonly targets: readonly WebhookTarget[];
  /** the server's secret, for targets without their own */
  readonly secret: string;
  readonly allowPrivate: boolean;
  readonly publicUrl: string;
  readonly now: () => number;
  readonly retry: RetryPolicy;
  readonly timeoutMs?: number;
  /** how often to look for due retries when nothing woke the sender; default 1 s */
  readonly pollMs?: number;
  readonly onError: (err: unknown) => void;
  readonly onAttempt?: (d: WebhookDelivery, attempt: WebhookAttempt) => void;
}

export class WebhookSender {
  readonly #d: WebhookSenderDeps;
  #running: Promise<void> | null = null;
  readonly #doze = new Doze();

  constructor(deps: WebhookSenderDeps) {
    this.#d = deps;
  }

  get enabled(): boolean {
    return this.#d.targets.length > 0;
  }

  /** queues the event for every target that wants it (once per url, event and room) */
  async emit(event: WebhookEvent, room: RoomState): Promise<void> {
    const targets = this.#d.targets.filter((t) => t.events.includes(event));
    if (targets.length === 0) return;
    const at = this.#d.now();
    const payload = JSON.stringify({
      event,
      at,
      room: {
        id: room.id,
        title: room.title,
        status: room.status,
        hostId: room.hostId,
        url: `${this.#d.publicUrl}/rooms/${room.id}`,
        startsAt: room.schedule?.startsAt ?? null,
        timeZone: room.schedule?.timeZone ?? null,
        liveAt: room.liveAt,
        endedAt: room.endedAt,
        endReason: room.endReason,
      },
    });
    await this.#d.store.notify.enqueueWebhooks(targets.map((t) => ({ url: t.url, event, roomId: room.id, payload, at })));
    this.wake();
  }

  start(): void {
    if (this.enabled) this.#running ??= this.#loop();
  }

  wake(): void {
    this.#doze.wake();
  }

  async stop(): Promise<void> {
    this.#doze.stop();
    await this.#running;
  }

  /** delivers everything due now, once each; returns how many were attempted */
  async runDue(): Promise<number> {
    const due = await this.#d.store.notify.dueWebhooks(this.#d.now(), 50);
    await Promise.all(due.map((d) => this.#attempt(d)));
    return due.length;
  }

  async #loop(): Promise<void> {
    while (!this.#doze.stopped) {
      try {
        if ((await this.runDue()) > 0) continue;
      } catch (err) {
        this.#d.onError(err);
      }
      await this.#doze.for(this.#d.pollMs ?? 1_000);
    }
  }

  async #attempt(d: WebhookDelivery): Promise<void> {
    const outcome = await this.#post(d);
    const at = this.#d.now();
    let attempt: WebhookAttempt;
    if (outcome.ok) attempt = { ok: true, at };
    else {
      const delay = outcome.final ? null : this.#d.retry.nextRetryDelayMs(d.attempts + 1);
      attempt = { ok: false, at, error: outcome.error, retryAt: delay === null ? null : at + delay };
    }
    await this.#d.store.notify.recordWebhookAttempt(d.id, attempt);
    this.#d.onAttempt?.(d, attempt);
  }

  /** one POST; `final` failures are not worth retrying (a refused address, a 4xx answer) */
  #post(d: WebhookDelivery): Promise<{ ok: true } | { ok: false; final: boolean; error: string }> {
    const target = this.#d.targets.find((t) => t.url === d.url);
    const url = new URL(d.url);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.#d.allowPrivate)) {
      return Promise.resolve({ ok: false, final: true, error: 'only https:// webhooks are allowed' });
    }
    if (literalRefused(url.hostname, this.#d.allowPrivate)) {
      return Promise.resolve({ ok: false, final: true, error: `${url.hostname} is a private address` });
    }
    const timestamp = this.#d.now();
    const body = Buffer.from(d.payload);
    const headers = {
      'content-type': 'application/json',
      'content-length': String(body.length),
      'user-agent': 'Amphi-Webhooks/1',
      'x-amphi-event': d.event,
      'x-amphi-delivery': String(d.id),
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: signWebhook(target?.secret ?? this.#d.secret, timestamp, d.payload),
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      const req = send(url, { method: 'POST', headers, lookup: guardedLookup(this.#d.allowPrivate), timeout: this.#d.timeoutMs ?? 10_000 }, (res: IncomingMessage) => {
        res.resume(); // the answer's body is not ours to read; drain it so the socket is freed
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve({ ok: true });
        else resolve({ ok: false, final: status >= 400 && status < 500 && status !== 408 && status !== 429, error: `HTTP ${status}` });
      });
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (err) => resolve({ ok: false, final: err instanceof WebhookAddressError, error: err.message }));
      req.end(body);
    });
  }

}
