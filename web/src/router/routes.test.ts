import { describe, expect, it } from 'vitest';
import { matchRoute, paths } from './routes.ts';

describe('routes', () => {
  it('maps every page path to its route and back', () => {
    expect(matchRoute('/')).toEqual({ name: 'home' });
    expect(matchRoute('/new')).toEqual({ name: 'createRoom' });
    expect(matchRoute(paths.room('r-1'))).toEqual({ name: 'room', roomId: 'r-1' });
    expect(matchRoute(paths.profile('ada_l'))).toEqual({ name: 'profile', handle: 'ada_l' });
    expect(matchRoute('/rooms/r-1/')).toEqual({ name: 'room', roomId: 'r-1' });
  });

  it('keeps a same-site next path after sign-in and drops one that leads elsewhere', () => {
    expect(matchRoute('/signin', '?next=%2Frooms%2Fr-1')).toEqual({ name: 'signIn', next: '/rooms/r-1' });
    expect(matchRoute('/signin', '?next=%2F%2Fevil.example')).toEqual({ name: 'signIn', next: null });
    expect(matchRoute('/signup', '?next=https://evil.example')).toEqual({ name: 'signUp', next: null });
  });

  it('calls anything else not found, including malformed room ids and handles', () => {
    expect(matchRoute('/rooms/a b')).toEqual({ name: 'notFound', path: '/rooms/a b' });
    expect(matchRoute('/u/%E0%A4%A')).toEqual({ name: 'notFound', path: '/u/%E0%A4%A' });
  });
});
