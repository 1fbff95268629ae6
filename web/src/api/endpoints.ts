/**
 * @module endpoints — one typed function per server route the app uses. Request and response types
 * come from src/protocol (api-schemas, api-views), so a change of the server's shapes breaks the build
 * here rather than the page at run time.
 */
import type { CreateRoomBody, RoomActionBody, SignInBody, SignUpBody, UpdateRoomBody } from '../../../src/protocol/api-schemas.ts';
import type { ProfileView, RoomView, RoomWithMeView, UserView } from '../../../src/protocol/api-views.ts';
import type { ScheduleRoomBody } from '../../../src/protocol/notify-schemas.ts';
import type { FanoutProgressView, NotificationView, ScheduledRoomView } from '../../../src/protocol/notify-views.ts';
import { call } from './http.ts';

export const api = {
  signUp: (body: SignUpBody) => call<{ user: UserView }>('signUp', { body }),
  signIn: (body: SignInBody) => call<{ user: UserView }>('signIn', { body }),
  signOut: () => call<undefined>('signOut'),
  me: () => call<{ user: UserView }>('me'),
  profile: (handle: string) => call<ProfileView>('profile', { params: { handle } }),
  follow: (handle: string) => call<ProfileView>('follow', { params: { handle } }),
  unfollow: (handle: string) => call<ProfileView>('unfollow', { params: { handle } }),
  block: (handle: string) => call<ProfileView>('block', { params: { handle } }),
  unblock: (handle: string) => call<ProfileView>('unblock', { params: { handle } }),
  createRoom: (body: CreateRoomBody) => call<RoomWithMeView>('createRoom', { body }),
  listRooms: (status: 'live' | 'backstage' = 'live') => call<{ rooms: RoomView[] }>('listRooms', { query: { status } }),
  getRoom: (roomId: string) => call<RoomWithMeView>('getRoom', { params: { roomId } }),
  updateRoom: (roomId: string, body: UpdateRoomBody) => call<RoomWithMeView>('updateRoom', { params: { roomId }, body }),
  roomAction: (roomId: string, action: RoomActionBody) => call<RoomWithMeView>('roomAction', { params: { roomId }, body: action }),
  // scheduled rooms and reminders
  scheduleRoom: (body: ScheduleRoomBody) => call<ScheduledRoomView>('scheduleRoom', { body }),
  scheduledByHost: (host: string) => call<{ rooms: ScheduledRoomView[] }>('listScheduledByHost', { query: { host } }),
  scheduledFollowing: () => call<{ rooms: ScheduledRoomView[] }>('listScheduledFollowing'),
  reschedule: (roomId: string, startsAt: number, timeZone: string) => call<ScheduledRoomView>('rescheduleRoom', { params: { roomId }, body: { startsAt, timeZone } }),
  cancelRoom: (roomId: string) => call<ScheduledRoomView>('cancelRoom', { params: { roomId } }),
  startRoom: (roomId: string) => call<RoomWithMeView>('startRoom', { params: { roomId } }),
  setReminder: (roomId: string) => call<ScheduledRoomView>('setReminder', { params: { roomId } }),
  removeReminder: (roomId: string) => call<ScheduledRoomView>('removeReminder', { params: { roomId } }),
  roomNotices: (roomId: string) => call<FanoutProgressView>('roomNotices', { params: { roomId } }),
  // notifications
  notifications: () => call<{ notifications: NotificationView[]; unread: number }>('listNotifications'),
  markNotificationsRead: (upTo?: number) => call<{ marked: number; unread: number }>('markNotificationsRead', { body: upTo === undefined ? {} : { upTo } }),
};
