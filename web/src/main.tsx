/**
 * @module main — the browser entry: loads the session, arms the first-tap audio unlock, mounts the
 * app. Nothing else starts here.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { installAudioUnlock } from './audio/audio-context.ts';
import { loadSession } from './auth/session.ts';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
void loadSession();
installAudioUnlock();
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
