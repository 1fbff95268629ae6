/**
 * @module main — the browser entry: loads the session, mounts the app. Nothing else starts here.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { loadSession } from './auth/session.ts';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
void loadSession();
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
