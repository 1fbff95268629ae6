/**
 * @module store/fixtures — small, valid values for the store's tests: accounts, a room state literal
 * (the store persists whatever RoomState it is given, so its tests need no rules), audit entries. Test
 * code only; must never be imported by production code.
 */
import { asRoomId, asUserId } from '../domain/ids.ts';
import type { RoomId, UserId } from '../domain/ids.ts';
import type { AuditAction, AuditEntry } from '../domain/room-events.ts';
import type { RoomState, StageMember, StageRole } from '../domain/room-state.ts';
import type { UserWithSecret } from './types.ts';

export const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

export const userId = (n: number | string): UserId => asUserId(`u_${n}`);
export const roomId = (n: number | string): RoomId => asRoomId(`r_${n}`);

export const user = (n: number | string, handle = `Handle${n}`): UserWithSecret => ({
  id: userId(n),
  handle,
  displayName: `Person ${n}`,
  createdAt: T0,
  passwordHash: `scrypt$hash-of-${n}`,
});

export const member = (id: UserId, role: StageRole, at = T0): StageMember => ({
  userId: id,
  role,
  muted: true,
  mutedBy: 'self',
  onStageSince: at,
  roleSince: at,
  connected: true,
  disconnectedAt: null,
});

export function roomState(id: RoomId, host: UserId, overrides: Partial<RoomState> = {}): RoomState {
  return {
    id,
    status: 'backstage',
    title: `Room ${id}`,
    topics: ['audio'],
    description: '',
    speakerPolicy: 'everyone',
    createdAt: T0,
    liveAt: null,
    endedAt: null,
    endReason: null,
    schedule: null,
    createdBy: host,
    hostId: host,
    stage: [member(host, 'host')],
    invites: [],
    removed: [],
    pins: [],
    ...overrides,
  };
}

export const auditEntry = (
  action: AuditAction,
  actor: UserId | null,
  at: number,
  target: UserId | null = null,
  reason = '',
): AuditEntry => ({ actor, target, action, reason, at });
