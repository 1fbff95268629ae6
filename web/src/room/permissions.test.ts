import { describe, expect, it } from 'vitest';
import type { MyPlaceView, StageMemberView } from '../../../src/protocol/api-views.ts';
import { memberActions } from './permissions.ts';

const place = (role: MyPlaceView['role']): MyPlaceView => ({ role, signedIn: true, handRaised: false, invited: false, muted: true, mutedBy: 'self' });
const member = (id: string, role: StageMemberView['role'], muted = false): StageMemberView => ({
  user: { id, handle: id, displayName: id },
  role,
  muted,
  mutedBy: 'self',
  connected: true,
});

describe('memberActions', () => {
  it('offers the host everything on a co-host, including handing over the room', () => {
    expect(memberActions(place('host'), 'h', member('c', 'cohost'))).toEqual(['mute', 'handOver', 'removeCohost', 'moveToAudience', 'remove']);
  });

  it('lets a co-host act on speakers but never on the host or another co-host', () => {
    expect(memberActions(place('cohost'), 'c', member('s', 'speaker', true))).toEqual(['moveToAudience', 'remove']);
    expect(memberActions(place('cohost'), 'c', member('h', 'host'))).toEqual([]);
    expect(memberActions(place('cohost'), 'c', member('c2', 'cohost'))).toEqual([]);
  });

  it('offers nothing to speakers and listeners, nor on yourself', () => {
    expect(memberActions(place('speaker'), 's', member('x', 'speaker'))).toEqual([]);
    expect(memberActions(place('listener'), 'l', member('x', 'speaker'))).toEqual([]);
    expect(memberActions(place('host'), 'h', member('h', 'host'))).toEqual([]);
  });
});
