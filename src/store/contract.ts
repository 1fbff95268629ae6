/**
 * @module store/contract — the one behaviour suite every Store implementation must pass (run by
 * sqlite.test.ts and postgres.test.ts). `open({ fresh: true })` gives a store on a new, empty database;
 * `open({ fresh: false })` opens the database of the last fresh store again (after it was closed), to
 * prove what was written survives. The cases live in contract-accounts.ts, contract-rooms.ts, contract-notify.ts, contract-leases.ts and contract-hands.ts. Test
 * code only; must never be imported by production code.
 */
import { afterEach, describe } from 'vitest';
import { accountsContract } from './contract-accounts.ts';
import { handsContract } from './contract-hands.ts';
import { leasesContract } from './contract-leases.ts';
import { notifyContract } from './contract-notify.ts';
import { roomsContract } from './contract-rooms.ts';
import type { Store } from './types.ts';

export type OpenStore = (opts: { fresh: boolean }) => Promise<Store>;

export function runStoreContract(name: string, open: OpenStore): void {
  describe(`Store contract: ${name}`, () => {
    const opened: Store[] = [];
    const track = async (store: Promise<Store>): Promise<Store> => {
      const s = await store;
      opened.push(s);
      return s;
    };
    const stores = {
      fresh: () => track(open({ fresh: true })),
      reopen: () => track(open({ fresh: false })),
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    accountsContract(stores);
    roomsContract(stores);
    notifyContract(stores);
    leasesContract(stores);
    handsContract(stores);
  });
}
