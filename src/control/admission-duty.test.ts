import { afterEach, describe, expect, it } from 'vitest';
import { Admission } from './admission.ts';

const made: Admission[] = [];
afterEach(() => {
  for (const a of made.splice(0)) a.stop();
});

const admission = (duty: () => number) => {
  let t = 0;
  const a = new Admission({
    config: { maxListeners: 1000, joinsPerSecond: 1000, maxWaiting: 100, maxLagMs: 200 },
    secret: 's'.repeat(32),
    now: () => (t += 10),
    listeners: () => 10,
    broadcast: () => undefined,
    deliveryDuty: duty,
    maxDeliveryDuty: 0.7,
  });
  made.push(a);
  return a;
};

describe('admission and the delivery duty', () => {
  it('admits while delivery has headroom', () => {
    expect(admission(() => 0.5).enter().kind).toBe('admit');
  });

  it('puts joins in line once delivery spends more than its share of the time writing, before it falls behind', () => {
    let duty = 0.75;
    const a = admission(() => duty);
    expect(a.enter().kind).toBe('wait');
    duty = 0.4; // delivery caught up: the line moves again
    a.tick();
    expect(a.waiting).toBe(0);
    expect(a.enter().kind).toBe('admit');
  });
});
