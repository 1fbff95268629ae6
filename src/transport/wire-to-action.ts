/**
 * @module wire-to-action — turns a validated action body from HTTP or the room WebSocket into the
 * domain's RoomAction (branding the ids). The only place the two vocabularies meet; no rule here.
 */
import { asUserId } from '../domain/ids.ts';
import type { RoomAction } from '../domain/room-actions.ts';
import type { RoomActionBody, UpdateRoomBody } from '../protocol/api-schemas.ts';
import type { ServiceAction } from '../control/room-service.ts';

export function actionFromWire(body: RoomActionBody): ServiceAction {
  switch (body.type) {
    case 'approveRequest':
    case 'declineRequest':
    case 'invite':
    case 'cancelInvite':
    case 'moveToAudience':
    case 'muteMember':
    case 'addCohost':
    case 'removeCohost':
    case 'handOver':
      return { type: body.type, target: asUserId(body.target) };
    case 'remove':
      return { type: 'remove', target: asUserId(body.target), reason: body.reason };
    case 'report':
      return { type: 'report', target: body.target === null ? null : asUserId(body.target), reason: body.reason };
    default:
      return body;
  }
}

export function updateFromWire(body: UpdateRoomBody): RoomAction {
  const { title, topics, description, speakerPolicy, soundGuard } = body;
  return {
    type: 'updateDetails',
    ...(title !== undefined && { title }),
    ...(topics !== undefined && { topics }),
    ...(description !== undefined && { description }),
    ...(speakerPolicy !== undefined && { speakerPolicy }),
    ...(soundGuard !== undefined && { soundGuard: { ...(soundGuard.autoMuteNoisy !== undefined && { autoMuteNoisy: soundGuard.autoMuteNoisy }), ...(soundGuard.echo !== undefined && { echo: soundGuard.echo }) } }),
  };
}
