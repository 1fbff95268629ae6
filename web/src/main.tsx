/**
 * @module main — the browser entry: loads the session, arms the first-tap audio unlock, opens the
 * signed-in person's live channel whenever there is one, mounts the app. Nothing else starts here.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { installAudioUnlock } from './audio/audio-context.ts';
import { loadSession } from './auth/session.ts';
import { installUserEvents } from './notify/user-events.ts';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
void loadSession();
installAudioUnlock();
installUserEvents();
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
