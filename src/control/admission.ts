/**
 * @module admission — decides, per listener join, whether this node lets them in now or gives them a
 * place in line (delivery/admission-line.ts holds the line itself). Places are handed out as signed
 * tickets, so nobody can claim an earlier place, and each ticket lets one join in. Every tick it admits
 * the next places as capacity, join rate and event-loop health allow, and when that moves it tells every
 * waiting client with one shared message. Hosts, co-hosts and speakers never come here: the caller
 * lets the stage straight in.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { AdmissionLine, type AdmissionConfig, type AdmissionVerdict } from '../delivery/admission-line.ts';
import { encodeLine } from '../protocol/listener-line.ts';
import { AmphiError } from './errors.ts';

export type AdmissionAnswer =
  | { readonly kind: 'admit' }
  | { readonly kind: 'wait'; readonly ticket: string; readonly number: number; readonly position: number; readonly etaSeconds: number };

/** a direct join's answer: the socket itself holds the place, so no signed ticket */
export type DirectAdmission =
  | { readonly kind: 'admit' }
  | { readonly kind: 'wait'; readonly number: number; readonly position: number; readonly etaSeconds: number };

export interface AdmissionDeps {
  readonly config: AdmissionConfig;
  readonly secret: string;
  readonly now: () => number;
  /** listeners this node serves now */
  readonly listeners: () => number;
  /** sends one serialised line message to every waiting client; `admittedUpTo` for sockets holding a number */
  readonly broadcast: (text: string, admittedUpTo: number) => void;
  readonly tickMs?: number;
  /**
   * share of wall time the node spends writing audio batches (the publish queue's duty): at 1 delivery
   * falls behind real time, so joins wait in line from `maxDeliveryDuty` on, before it does
   */
  readonly deliveryDuty?: () => number;
  readonly maxDeliveryDuty?: number;
}

/** above this share of its time writing batches a node admits nobody new (headroom for bursts and joins) */
export const DEFAULT_MAX_DELIVERY_DUTY = 0.7;

/** how often the event-loop delay is sampled (a timer wake-up each time) */
export const LAG_SAMPLE_MS = 50;

export class Admission {
  readonly #d: AdmissionDeps;
  readonly #line: AdmissionLine;
  // 50 ms sampling sees any stall worth acting on (the limit is AMPHI_MAX_LAG_MS, 200 by default) at a
  // fifth of the wake-ups of 10 ms: an idle Node process pays ~130 µs of CPU per timer wake-up on the
  // bench's VM (an empty 20 ms setInterval, process.cpuUsage).
  readonly #lag: IntervalHistogram = monitorEventLoopDelay({ resolution: LAG_SAMPLE_MS });
  /** tickets already used to join; pruned as the line moves on */
  readonly #redeemed = new Set<number>();
  #timer: NodeJS.Timeout | null = null;
  #lastLagMs = 0;
  #admitted = 0;
  #lastText = '';

  constructor(deps: AdmissionDeps) {
    this.#d = deps;
    this.#line = new AdmissionLine(deps.config, deps.now());
    this.#lag.enable();
  }

  get waiting(): number {
    return this.#line.waiting;
  }
  get admittedTotal(): number {
    return this.#admitted;
  }
  get lagMs(): number {
    return this.#lastLagMs;
  }

  start(): void {
    this.#timer = setInterval(() => this.tick(), this.#d.tickMs ?? 250);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#lag.disable();
  }

  /** the line message waiting clients get on connect and whenever the line moves */
  lineText(): string {
    return encodeLine({ admittedUpTo: this.#line.admittedUpTo, waiting: this.#line.waiting, perSecond: this.#line.rate });
  }

  /** one tick: measure the event loop, admit what can be admitted, tell the line if it moved */
  tick(): void {
    // p99 of the loop's delay over the last tick: a stalled loop shows here before anything else. Node's
    // histogram holds whole intervals between samples (the sampling period plus the delay), so the
    // period comes off: AMPHI_MAX_LAG_MS means lateness, whatever the sampling.
    this.#lastLagMs = Math.max(0, this.#lag.percentile(99) / 1e6 - LAG_SAMPLE_MS);
    this.#lag.reset();
    this.#line.advance(this.#d.listeners(), this.#pressureMs(), this.#d.now());
    const text = this.lineText();
    if (text !== this.#lastText) {
      this.#lastText = text;
      this.#d.broadcast(text, this.#line.admittedUpTo);
    }
    const floor = this.#line.admittedUpTo - this.#d.config.maxWaiting;
    if (this.#redeemed.size > 10_000) for (const t of this.#redeemed) if (t < floor) this.#redeemed.delete(t);
  }

  /** a listener's join: admitted now, or a place in line; 503 when even the line is full */
  check(ticket: string | null): AdmissionAnswer {
    if (ticket !== null) {
      const n = this.#verify(ticket);
      if (n === null) throw new AmphiError('bad_request', 'This place in line is not valid. Join again to get a new one.', { field: 'ticket' });
      if (this.#line.isAdmitted(n) && !this.#redeemed.has(n)) {
        this.#redeemed.add(n);
        this.#admitted++;
        return { kind: 'admit' };
      }
      if (this.#redeemed.has(n)) throw new AmphiError('bad_request', 'This place in line was already used. Join again to get a new one.', { field: 'ticket' });
      const position = n - this.#line.admittedUpTo;
      return { kind: 'wait', ticket, number: n, position, etaSeconds: this.#line.eta(position) };
    }
    const v = this.#request();
    if (v.kind === 'admit') return v;
    return { kind: 'wait', ticket: this.#sign(v.ticket), number: v.ticket, position: v.position, etaSeconds: v.etaSeconds };
  }

  /**
   * a direct join (the listener port's `?room=`): admitted now, or a number in line that the socket
   * itself holds until letIn; 503-worthy AmphiError when even the line is full
   */
  enter(): DirectAdmission {
    const v = this.#request();
    if (v.kind === 'admit') return v;
    return { kind: 'wait', number: v.ticket, position: v.position, etaSeconds: v.etaSeconds };
  }

  /** whether the line has reached `number` */
  reached(number: number): boolean {
    return this.#line.isAdmitted(number);
  }

  /** a socket that held `number` in line is let in now (counted with the other admissions) */
  letIn(): void {
    this.#admitted++;
  }

  #request(): Exclude<AdmissionVerdict, { kind: 'full' }> {
    const v = this.#line.request(this.#d.listeners(), this.#pressureMs(), this.#d.now());
    if (v.kind === 'admit') this.#admitted++;
    if (v.kind === 'full') {
      throw new AmphiError('unavailable', `So many people are joining that even the waiting line is full. Try again in ${v.retryAfterSeconds} s.`, {
        retryAfterSeconds: v.retryAfterSeconds,
      });
    }
    return v;
  }

  /**
   * what the line reads as the node's lag: the loop's lateness, or, once delivery spends more than its
   * share of the time writing, "too late" outright, so listeners wait before delivery falls behind
   */
  #pressureMs(): number {
    const duty = this.#d.deliveryDuty?.() ?? 0;
    return duty > (this.#d.maxDeliveryDuty ?? DEFAULT_MAX_DELIVERY_DUTY) ? Number.POSITIVE_INFINITY : this.#lastLagMs;
  }

  #mac(n: number): string {
    return createHmac('sha256', this.#d.secret).update(`line:${n}`).digest('base64url').slice(0, 22);
  }

  #sign(n: number): string {
    return `${n}.${this.#mac(n)}`;
  }

  #verify(ticket: string): number | null {
    const m = /^(\d{1,15})\.([A-Za-z0-9_-]{22})$/.exec(ticket);
    if (!m || !m[1] || !m[2]) return null;
    const n = Number(m[1]);
    const given = Buffer.from(m[2]);
    const want = Buffer.from(this.#mac(n));
    return given.length === want.length && timingSafeEqual(given, want) ? n : null;
  }
}
