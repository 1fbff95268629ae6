/**
 * @module admission-line — the waiting line of a listener node. A join is admitted at once while the node
 * has room (listeners under capacity) and join rate to spare (a token bucket); otherwise it gets the next
 * ticket number and waits. Each tick the line admits as many tickets as capacity and rate allow, in
 * order, and publishes one number, "admitted up to K": every waiting client works out its own place
 * from it, so telling the whole line costs one message, not one per person. Beyond `maxWaiting` the
 * line is full and the caller answers 503. When the event loop lags, nobody new is admitted until it
 * recovers. Pure bookkeeping: time and the listener count come in as arguments.
 */

export interface AdmissionConfig {
  /** listeners this node serves before it starts a line */
  readonly maxListeners: number;
  /** joins admitted per second at most (the bucket holds one second's worth) */
  readonly joinsPerSecond: number;
  /** tickets the line holds before joins are refused with 503 */
  readonly maxWaiting: number;
  /** event-loop lag (ms) above which nobody new is admitted */
  readonly maxLagMs: number;
}

export type AdmissionVerdict =
  | { readonly kind: 'admit' }
  | { readonly kind: 'wait'; readonly ticket: number; readonly position: number; readonly etaSeconds: number }
  | { readonly kind: 'full'; readonly retryAfterSeconds: number };

export class AdmissionLine {
  readonly #cfg: AdmissionConfig;
  #tokens: number;
  #lastRefill: number;
  /** highest ticket handed out */
  #issued = 0;
  /** every ticket <= this may join */
  #admittedUpTo = 0;

  constructor(cfg: AdmissionConfig, now: number) {
    this.#cfg = cfg;
    this.#tokens = cfg.joinsPerSecond;
    this.#lastRefill = now;
  }

  get admittedUpTo(): number {
    return this.#admittedUpTo;
  }

  get waiting(): number {
    return this.#issued - this.#admittedUpTo;
  }

  /** a new join: admitted now, a ticket in the line, or refused because even the line is full */
  request(listeners: number, lagMs: number, now: number): AdmissionVerdict {
    this.#refill(now);
    if (this.waiting === 0 && this.#hasRoom(listeners, lagMs) && this.#tokens >= 1) {
      this.#tokens -= 1;
      return { kind: 'admit' };
    }
    if (this.waiting >= this.#cfg.maxWaiting) {
      return { kind: 'full', retryAfterSeconds: Math.max(1, Math.ceil(this.waiting / this.#cfg.joinsPerSecond)) };
    }
    this.#issued += 1;
    const position = this.#issued - this.#admittedUpTo;
    return { kind: 'wait', ticket: this.#issued, position, etaSeconds: this.eta(position) };
  }

  /** may the holder of `ticket` join now? */
  isAdmitted(ticket: number): boolean {
    return Number.isSafeInteger(ticket) && ticket > 0 && ticket <= this.#admittedUpTo;
  }

  /** one tick: admits the next tickets in order as room and rate allow; returns admittedUpTo */
  advance(listeners: number, lagMs: number, now: number): number {
    this.#refill(now);
    if (this.waiting === 0 || !this.#hasRoom(listeners, lagMs)) return this.#admittedUpTo;
    const room = this.#cfg.maxListeners - listeners;
    const n = Math.min(Math.floor(this.#tokens), room, this.waiting);
    if (n > 0) {
      this.#admittedUpTo += n;
      this.#tokens -= n;
    }
    return this.#admittedUpTo;
  }

  /** seconds until `position` is reached at the configured rate */
  eta(position: number): number {
    return Math.max(1, Math.ceil(position / this.#cfg.joinsPerSecond));
  }

  #hasRoom(listeners: number, lagMs: number): boolean {
    return listeners < this.#cfg.maxListeners && lagMs <= this.#cfg.maxLagMs;
  }

  #refill(now: number): void {
    const elapsed = Math.max(0, now - this.#lastRefill) / 1000;
    this.#lastRefill = now;
    this.#tokens = Math.min(this.#cfg.joinsPerSecond, this.#tokens + elapsed * this.#cfg.joinsPerSecond);
  }
}
