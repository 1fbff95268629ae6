/**
 * @module store/contract-helpers — what the Store contract's parts share: how a test gets a store
 * (`ContractStores`), a room to work on, and a way to catch the StoreError a call must throw. Test code
 * only; must never be imported by production code.
 */
import type { RoomState } from '../domain/room-state.ts';
import { auditEntry, roomId, roomState, T0, user, userId } from './fixtures.test-helper.ts';
import { StoreError } from './types.ts';
import type { Store } from './types.ts';

export interface ContractStores {
  /** a store on a new, empty database; closed after the test */
  readonly fresh: () => Promise<Store>;
  /** a store on the database of the last fresh() (close that one first); closed after the test */
  readonly reopen: () => Promise<Store>;
}

export async function storeError(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StoreError) return error;
    throw error;
  }
  throw new Error('expected a StoreError, but the call succeeded');
}

/** Creates the host account and room `n` (backstage, audited as created at T0). */
export async function withRoom(store: Store, n = 1): Promise<RoomState> {
  await store.createUser(user('host'));
  const state = roomState(roomId(n), userId('host'));
  await store.createRoom(state, [auditEntry('room_created', userId('host'), T0)]);
  return state;
}

export const pinned = (state: RoomState, url: string, at: number): RoomState => ({
  ...state,
  pins: [...state.pins, { url, pinnedBy: state.hostId, at }],
});
