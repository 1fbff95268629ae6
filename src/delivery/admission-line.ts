/**
 * @module admission-line — the waiting line of a listener node. A join is admitted at once while the node
 * has room (listeners under capacity) and join rate to spare (a token bucket); otherwise it gets the next
 * ticket number and waits. Each tick the line admits as many tickets as capacity and rate allow, in
 * order, and publishes one number, "admitted up to K": every waiting client works out its own place
 * from it, so telling the whole line costs one message, not one per person. Beyond `maxWaiting` the
 * line is full and the caller answers 503. While the event loop lags, joins go to the line and the
 * line moves at a tenth of the rate: slower, never stopped — in a storm the lag comes from the joins
 * themselves, and a line that stops only makes the crowd ask again. Pure bookkeeping: time and the listener count come in as arguments.
 */

export interface AdmissionConfig {
  /** listeners this node serves before it starts a line */
  readonly maxListeners: number;
  /** joins admitted per second at most (the bucket holds one second's worth) */
  readonly joinsPerSecond: number;
  /** tickets the line holds before joins are refused with 503 */
  readonly maxWaiting: number;
  /** event-loop lag (ms) above which joins wait in line and the line moves at a tenth of the rate */
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
  /** whether the last request or tick saw the event loop lagging */
  #lagging = false;

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
    this.#refill(now, lagMs);
    if (this.waiting === 0 && this.#hasRoom(listeners) && lagMs <= this.#cfg.maxLagMs && this.#tokens >= 1) {
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
    this.#refill(now, lagMs);
    if (this.waiting === 0 || !this.#hasRoom(listeners)) return this.#admittedUpTo;
    const room = this.#cfg.maxListeners - listeners;
    const n = Math.min(Math.floor(this.#tokens), room, this.waiting);
    if (n > 0) {
      this.#admittedUpTo += n;
      this.#tokens -= n;
    }
    return this.#admittedUpTo;
  }

  /** joins per second the line moves at now: the join rate, a tenth of it while the loop lags */
  get rate(): number {
    return this.#lagging ? Math.max(1, this.#cfg.joinsPerSecond / 10) : this.#cfg.joinsPerSecond;
  }

  /** seconds until `position` is reached at the rate the line moves at now */
  eta(position: number): number {
    return Math.max(1, Math.ceil(position / this.rate));
  }

  #hasRoom(listeners: number): boolean {
    return listeners < this.#cfg.maxListeners;
  }

  /** the bucket fills at the join rate, or a tenth of it (and holds at most a tenth) while the loop lags */
  #refill(now: number, lagMs: number): void {
    const elapsed = Math.max(0, now - this.#lastRefill) / 1000;
    this.#lastRefill = now;
    const lagging = lagMs > this.#cfg.maxLagMs;
    this.#lagging = lagging;
    const rate = lagging ? this.#cfg.joinsPerSecond / 10 : this.#cfg.joinsPerSecond;
    const cap = lagging ? Math.max(1, rate) : this.#cfg.joinsPerSecond;
    this.#tokens = Math.min(cap, this.#tokens + elapsed * rate);
  }
}
