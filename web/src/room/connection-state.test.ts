import { describe, expect, it } from 'vitest';
import { finalReason } from './connection-state.ts';

describe('finalReason', () => {
  it('ends for good when the room ended or the person was removed', () => {
    expect(finalReason(4010, null)).toEqual({ kind: 'ended' });
    expect(finalReason(4410, { code: 'room_ended', message: 'This room has ended.' })).toEqual({ kind: 'ended' });
    expect(finalReason(4011, null)).toEqual({ kind: 'removed' });
    expect(finalReason(4403, { code: 'removed_from_room', message: 'You were removed from this room.' })).toEqual({ kind: 'removed' });
  });

  it('explains a refused join by the error frame sent just before the close', () => {
    expect(finalReason(4403, { code: 'blocked_by_host', message: 'The host has blocked you.' })).toEqual({ kind: 'refused', code: 'blocked_by_host', message: 'The host has blocked you.' });
    expect(finalReason(4404, null)).toEqual({ kind: 'refused', code: 'room_not_found', message: '' });
  });

  it('reconnects after network drops, server restarts, floods and server errors', () => {
    for (const code of [1000, 1001, 1006, 1011, 4429, 4500]) expect(finalReason(code, null)).toBeNull();
  });
});
