/**
 * @module stream-id — the name delivery knows a program stream by. Control maps rooms to streams;
 * delivery never learns what a room is. Pure type and constructor.
 */
import type { Brand } from '../lib/brand.ts';

export type StreamId = Brand<string, 'StreamId'>;

export const asStreamId = (s: string): StreamId => s as StreamId;
