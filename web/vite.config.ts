/**
 * @module web/vite.config — builds the browser app from web/ into web/dist, which the server reads once
 * at start (src/transport/web-app.ts). The app imports src/protocol/ for its types and route table, so
 * the build may reach one level up; it must never pull in server-only code (dependency-cruiser checks).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    // `vite --config web/vite.config.ts` for UI work: the API and room sockets go to a running Amphi
    proxy: { '/api': { target: 'http://127.0.0.1:8080', ws: true, changeOrigin: false } },
  },
});
