/**
 * @module permissions — which controls to offer whom. A mirror of the server's rules for showing
 * buttons only: the server still decides and refuses (its refusal is shown in words). Kept to the few
 * facts a screen needs: who moderates, who may act on whom, who may ask to speak. Pure.
 */
import type { MyPlaceView, RoomView, StageMemberView } from '../../../src/protocol/api-views.ts';

export type MemberAction = 'mute' | 'moveToAudience' | 'remove' | 'addCohost' | 'removeCohost' | 'handOver';

export const isModeratorRole = (me: MyPlaceView | null): boolean => me?.role === 'host' || me?.role === 'cohost';

export const isOnStage = (me: MyPlaceView | null): boolean => me?.role === 'host' || me?.role === 'cohost' || me?.role === 'speaker';

/** the actions a moderator's menu offers on one stage member (empty for everyone else) */
export function memberActions(me: MyPlaceView | null, myId: string | null, target: StageMemberView): MemberAction[] {
  if (!isModeratorRole(me) || myId === null || target.user.id === myId || target.role === 'host') return [];
  const iAmHost = me?.role === 'host';
  if (target.role === 'cohost' && !iAmHost) return [];
  const out: MemberAction[] = [];
  if (!target.muted) out.push('mute');
  if (iAmHost && target.role === 'speaker') out.push('addCohost');
  if (iAmHost && target.role === 'cohost') out.push('handOver', 'removeCohost');
  out.push('moveToAudience', 'remove');
  return out;
}

/** whether to show the raise-hand button (the server may still refuse, e.g. the "followed" policy) */
export function mayAskToSpeak(room: RoomView, me: MyPlaceView | null): boolean {
  return me !== null && me.signedIn && me.role === 'listener' && room.status === 'live' && room.speakerPolicy !== 'invited';
}
