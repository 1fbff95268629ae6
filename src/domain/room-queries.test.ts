/** @module room-queries.test — roles as the rules see them and the media gate `isAudible` in each lifecycle state. For tests only. */
import { describe, expect, it } from 'vitest';
import {
  COHOST,
  HOST,
  LISTENER,
  REMOVED,
  SPEAKER,
  T0,
  accepted,
  act,
  apply,
  standardRoom,
  user,
} from './room-fixtures.ts';
import { cohostCount, isAudible, roleOf, speakerCount, stageMember } from './room-queries.ts';
import type { RoomState } from './room-state.ts';

const speakerUnmuted = (s: RoomState): RoomState => apply(s, [[user(SPEAKER), { type: 'unmute' }]]);

describe('roles', () => {
  it('roleOf tells host, co-host, speaker, listener and removed apart', () => {
    const s = standardRoom('live');
    expect([HOST, COHOST, SPEAKER, LISTENER, REMOVED].map((u) => roleOf(s, u))).toEqual([
      'host',
      'cohost',
      'speaker',
      'listener',
      'removed',
    ]);
  });

  it('stageMember finds stage members only', () => {
    const s = standardRoom('live');
    expect(stageMember(s, SPEAKER)?.role).toBe('speaker');
    expect(stageMember(s, LISTENER)).toBeUndefined();
  });

  it('speakerCount and cohostCount count their role only', () => {
    const s = standardRoom('live');
    expect([speakerCount(s), cohostCount(s)]).toEqual([1, 1]);
  });
});

describe('who is heard (the media gate)', () => {
  it('an unmuted speaker is heard by the stage but not the audience while backstage', () => {
    expect(isAudible(speakerUnmuted(standardRoom('backstage')), SPEAKER)).toEqual({ toStage: true, toProgram: false });
  });

  it('an unmuted speaker is heard by the stage and in the program while live', () => {
    expect(isAudible(speakerUnmuted(standardRoom('live')), SPEAKER)).toEqual({ toStage: true, toProgram: true });
  });

  it('nobody is heard once the room has ended', () => {
    const s = accepted(act(speakerUnmuted(standardRoom('live')), HOST, { type: 'end' })).state;
    expect(isAudible(s, SPEAKER)).toEqual({ toStage: false, toProgram: false });
  });

  it('a muted member is not heard at all: everyone arrives muted', () => {
    expect(isAudible(standardRoom('live'), SPEAKER)).toEqual({ toStage: false, toProgram: false });
  });

  it('a member muted by a moderator is silenced at once', () => {
    const s = apply(speakerUnmuted(standardRoom('live')), [[user(COHOST), { type: 'muteMember', target: SPEAKER }]]);
    expect(isAudible(s, SPEAKER)).toEqual({ toStage: false, toProgram: false });
  });

  it('listeners, removed people and people who left the stage are not heard', () => {
    const s = speakerUnmuted(standardRoom('live'));
    expect(isAudible(s, LISTENER)).toEqual({ toStage: false, toProgram: false });
    expect(isAudible(s, REMOVED)).toEqual({ toStage: false, toProgram: false });
    const gone = accepted(act(s, HOST, { type: 'remove', target: SPEAKER, reason: '' }, T0)).state;
    expect(isAudible(gone, SPEAKER)).toEqual({ toStage: false, toProgram: false });
    const down = accepted(act(s, SPEAKER, { type: 'stepDown' })).state;
    expect(isAudible(down, SPEAKER)).toEqual({ toStage: false, toProgram: false });
  });
});
