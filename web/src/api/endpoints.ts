/**
 * @module endpoints — one typed function per server route the app uses. Request and response types
 * come from src/protocol (api-schemas, api-views), so a change of the server's shapes breaks the build
 * here rather than the page at run time.
 */
import type { CreateRoomBody, RoomActionBody, SignInBody, SignUpBody } from '../../../src/protocol/api-schemas.ts';
import type { ProfileView, RoomView, RoomWithMeView, UserView } from '../../../src/protocol/api-views.ts';
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
  roomAction: (roomId: string, action: RoomActionBody) => call<RoomWithMeView>('roomAction', { params: { roomId }, body: action }),
};
