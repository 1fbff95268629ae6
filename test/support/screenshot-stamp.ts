/**
 * @module test/support/screenshot-stamp — ties each product screenshot to the code it shows. The
 * browser tests stamp every PNG they write to docs/screenshots/ with a hash of the web build's sources
 * (a tEXt chunk, so the stamp travels with the file and survives a fresh clone, where every file's
 * mtime is the clone's); `npm run screenshots` then refuses a screenshot whose stamp is not the hash
 * of the sources as they are now. Reads files and builds bytes only; never launches anything.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { crc32 } from 'node:zlib';

/** what the web build is made of: web/ itself and the shared code it imports */
export const BUILD_INPUTS = ['web/src', 'web/index.html', 'web/vite.config.ts', 'src/protocol', 'src/domain', 'src/lib'] as const;

const KEYWORD = 'amphi-web-source';
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => files(join(path, name)));
}

/** sha256 over every build input's path and bytes, in path order; tests are left out (they are not built) */
export function webSourceHash(repo: string): string {
  const hash = createHash('sha256');
  const all = BUILD_INPUTS.flatMap((p) => files(join(repo, p)))
    .map((f) => ({ f, rel: relative(repo, f).split(sep).join('/') }))
    .filter(({ rel }) => !/\.test\.tsx?$/.test(rel))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  for (const { f, rel } of all) hash.update(`${rel}\0`).update(readFileSync(f)).update('\0');
  return hash.digest('hex');
}

interface Chunk {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly data: Buffer;
}

function chunks(png: Buffer): Chunk[] {
  if (png.length < 8 || !png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG file');
  const out: Chunk[] = [];
  for (let at = 8; at + 12 <= png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const end = at + 12 + length;
    if (end > png.length) throw new Error(`PNG chunk ${type} runs past the end of the file`);
    out.push({ type, start: at, end, data: png.subarray(at + 8, at + 8 + length) });
    at = end;
  }
  return out;
}

const isStamp = (c: Chunk) => c.type === 'tEXt' && c.data.subarray(0, KEYWORD.length + 1).equals(Buffer.from(`${KEYWORD}\0`, 'latin1'));

/** the PNG with its stamp set to `hash` (an earlier stamp replaced), just before IEND */
export function stampPng(png: Buffer, hash: string): Buffer {
  const kept = chunks(png).filter((c) => !isStamp(c));
  const iend = kept.findIndex((c) => c.type === 'IEND');
  if (iend === -1) throw new Error('PNG without IEND');
  const body = Buffer.concat([Buffer.from('tEXt', 'latin1'), Buffer.from(`${KEYWORD}\0${hash}`, 'latin1')]);
  const chunk = Buffer.alloc(body.length + 8);
  chunk.writeUInt32BE(body.length - 4, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(body), body.length + 4);
  const part = (c: Chunk) => png.subarray(c.start, c.end);
  return Buffer.concat([SIGNATURE, ...kept.slice(0, iend).map(part), chunk, ...kept.slice(iend).map(part)]);
}

/** the hash a PNG was stamped with, or null */
export function readStamp(png: Buffer): string | null {
  const stamp = chunks(png).find(isStamp);
  return stamp ? stamp.data.toString('latin1', KEYWORD.length + 1) : null;
}

/** the screenshots in `dir` not stamped with `hash`: older than the code they show, or never stamped */
export function staleScreenshots(dir: string, hash: string): { readonly file: string; readonly stamp: string | null }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.png'))
    .sort()
    .map((file) => ({ file, stamp: readStamp(readFileSync(join(dir, file))) }))
    .filter((s) => s.stamp !== hash);
}
