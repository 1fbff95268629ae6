/**
 * @module app — the shell: top bar, the page for the current route, and the toast area. Routing is the
 * tiny history router of router/; each page loads its own data. A host's go-live fan-out progress
 * shows here too, above every page.
 */
import { useEffect } from 'react';
import { TopBar } from './components/top-bar.tsx';
import { Toasts } from './components/toasts.tsx';
import { FanoutStatus } from './components/fanout-status.tsx';
import { useRoute } from './router/history.ts';
import type { Route } from './router/routes.ts';
import { CreateRoomPage } from './pages/create-room-page.tsx';
import { HomePage } from './pages/home-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { ProfilePage } from './pages/profile-page.tsx';
import { RoomPage } from './pages/room/room-page.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';
import { SignUpPage } from './pages/sign-up-page.tsx';

function page(route: Route) {
  switch (route.name) {
    case 'home':
      return <HomePage />;
    case 'signIn':
      return <SignInPage next={route.next} />;
    case 'signUp':
      return <SignUpPage next={route.next} />;
    case 'profile':
      return <ProfilePage key={route.handle} handle={route.handle} />;
    case 'createRoom':
      return <CreateRoomPage />;
    case 'room':
      return <RoomPage key={route.roomId} roomId={route.roomId} />;
    case 'notFound':
      return <NotFoundPage />;
  }
}

const TITLES: Record<Route['name'], string> = {
  home: 'Amphi — live audio rooms',
  signIn: 'Sign in — Amphi',
  signUp: 'Create your account — Amphi',
  profile: 'Profile — Amphi',
  createRoom: 'Start a room — Amphi',
  room: 'Room — Amphi',
  notFound: 'Not found — Amphi',
};

export function App() {
  const route = useRoute();
  useEffect(() => {
    document.title = TITLES[route.name];
  }, [route.name]);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <TopBar />
      <main id="main" tabIndex={-1}>
        {page(route)}
      </main>
      <FanoutStatus />
      <Toasts />
    </>
  );
}
