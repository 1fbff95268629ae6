/**
 * @module ids — the branded identifiers of the room's world. Making one from a string is an explicit
 * act (`asUserId`), done only where the string was validated or generated. No I/O, no randomness.
 */
import type { Brand } from '../lib/brand.ts';

export type UserId = Brand<string, 'UserId'>;
export type RoomId = Brand<string, 'RoomId'>;

export const asUserId = (s: string): UserId => s as UserId;
export const asRoomId = (s: string): RoomId => s as RoomId;
