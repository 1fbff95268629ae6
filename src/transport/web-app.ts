/**
 * @module web-app — serves the browser app built by Vite into web/dist (`npm run build:web`, run by
 * `npm start`): its files, and index.html for every app route (/, /rooms/:id, /u/:handle...) so links
 * can be shared. Read once and kept in memory: the files are small and a join storm must not hit the
 * disk. Unknown /api paths stay JSON 404s; it never serves anything outside web/dist. index.html gets
 * one meta tag, `amphi-listen-origin`, naming where signed-out listeners join directly (the listener
 * port), so a visit needs no request before its audio socket; it is built once, on the first visit.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import type { AppEnv } from './app-env.ts';

const WEB_ROOT = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
};

/** shown when the app was never built, so a developer learns the fix instead of seeing a JSON 404 */
const NOT_BUILT = Buffer.from(
  '<!doctype html><meta charset="utf-8"><title>Amphi</title><h1>Amphi</h1>' +
    '<p>The web app is not built yet. Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it) and reload.</p>',
);

interface WebFile {
  readonly body: Buffer;
  readonly type: string;
}

function loadFiles(dir: string, prefix = '/'): Map<string, WebFile> {
  const files = new Map<string, WebFile>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    // no build yet: the caller answers with NOT_BUILT
    return files;
  }
  for (const name of names) {
    const full = join(dir, name);
    try {
      if (statSync(full).isDirectory()) {
        for (const [k, v] of loadFiles(full, `${prefix}${name}/`)) files.set(k, v);
      } else {
        files.set(prefix + name, { body: readFileSync(full), type: TYPES[extname(name)] ?? 'application/octet-stream' });
      }
    } catch (err) {
      // a rebuild running while we start removes files between readdir and read: serve what is there
      if (!(err instanceof Error && 'code' in err && err.code === 'ENOENT')) throw err;
    }
  }
  return files;
}

/** the meta tag's name; web/src/api/direct-listen.ts reads it */
export const LISTEN_ORIGIN_META = 'amphi-listen-origin';

/** index.html with the listen origin in its head (HTML-escaped; left as it is when there is none) */
export function withListenOrigin(html: Buffer, origin: string | null): Buffer {
  if (origin === null) return html;
  const text = html.toString('utf8');
  const at = text.indexOf('</head>');
  if (at < 0) return html;
  const escaped = origin.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return Buffer.from(`${text.slice(0, at)}<meta name="${LISTEN_ORIGIN_META}" content="${escaped}" />${text.slice(at)}`, 'utf8');
}

/**
 * `listenOrigin`: where signed-out listeners join directly — a ws(s) origin, or ":PORT" for "this
 * page's host name on that port" — or null when they must fetch tickets; asked once, on the first visit
 */
export function registerWebApp(app: Hono<AppEnv>, listenOrigin: () => string | null = () => null): void {
  const files = loadFiles(WEB_ROOT);
  const built = files.get('/index.html');
  let index: WebFile | null = built === undefined ? { body: NOT_BUILT, type: TYPES['.html'] ?? 'text/html' } : null;
  const indexFile = (): WebFile => (index ??= { body: withListenOrigin((built as WebFile).body, listenOrigin()), type: (built as WebFile).type });
  app.get('*', (c) => {
    const path = c.req.path;
    const known = files.get(path);
    const isIndex = path === '/index.html' || (known === undefined && !path.startsWith('/api/') && extname(path) === '');
    const file = isIndex ? indexFile() : known;
    if (!file) return c.notFound();
    // Vite names built assets by content hash, so they never change under the same name
    const cache = isIndex ? 'no-cache' : path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=300';
    return c.body(new Uint8Array(file.body), 200, { 'content-type': file.type, 'cache-control': cache });
  });
}
