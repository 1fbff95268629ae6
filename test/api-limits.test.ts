/** Limits that protect accounts and the server's CPU: parallel password guesses meet the limit too, and sign-ups per address are capped. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startTestServer, type TestServer } from './support/amphi-server.ts';

describe('sign-in and sign-up limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { AMPHI_SIGNUPS_PER_HOUR: '3' } });
  });
  afterAll(() => server.dispose());

  it('15 wrong passwords sent at once for one account get at most 5 tries; the rest are 429 with Retry-After', async () => {
    await new ApiClient(server.url).signUp('limit_target');
    const tries = await Promise.all(
      Array.from({ length: 15 }, () => new ApiClient(server.url).call('POST', '/api/sessions', { handle: 'limit_target', password: 'not the right one' })),
    );
    const statuses = tries.map((t) => t.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(10);
    expect(Number(tries.find((t) => t.status === 429)?.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('one address creates at most AMPHI_SIGNUPS_PER_HOUR accounts, then gets 429 rate_limited', async () => {
    const results: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await new ApiClient(server.url).call('POST', '/api/accounts', { handle: `many_${i}`, displayName: 'Many', password: 'a good long password' });
      results.push(r.status);
    }
    // the account made by the first test counts too
    expect(results).toEqual([201, 201, 429, 429]);
  });
});
