/**
 * @module web-app — serves the browser app: files from web/public (an index.html shell and its
 * assets), and index.html for every app route (/, /rooms/:id, /u/:handle...) so links can be shared.
 * Read once and kept in memory: the files are small and a join storm must not hit the disk.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import type { AppEnv } from './app-env.ts';

const WEB_ROOT = fileURLToPath(new URL('../../web/public/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

function loadFiles(dir: string, prefix = '/'): Map<string, { body: Buffer; type: string }> {
  const files = new Map<string, { body: Buffer; type: string }>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return files;
  }
  for (const name of names) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      for (const [k, v] of loadFiles(full, `${prefix}${name}/`)) files.set(k, v);
    } else {
      files.set(prefix + name, { body: readFileSync(full), type: TYPES[extname(name)] ?? 'application/octet-stream' });
    }
  }
  return files;
}

export function registerWebApp(app: Hono<AppEnv>): void {
  const files = loadFiles(WEB_ROOT);
  const index = files.get('/index.html');
  app.get('*', (c) => {
    const file = files.get(c.req.path) ?? (c.req.path.startsWith('/api/') || extname(c.req.path) !== '' ? undefined : index);
    if (!file) return c.notFound();
    return c.body(new Uint8Array(file.body), 200, { 'content-type': file.type, 'cache-control': file === index ? 'no-cache' : 'public, max-age=300' });
  });
}
