/**
 * The screenshot run's freshness check can fail: a PNG keeps the hash of the sources it was taken from,
 * any change to a build input changes the hash, and a screenshot stamped with another hash, or none, is
 * reported as stale. On a PNG made here, in a temporary directory, never on docs/ itself.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { readStamp, stampPng, staleScreenshots, webSourceHash } from './support/screenshot-stamp.ts';

/** one PNG chunk: length, type, data, CRC-32 of type and data */
const chunk = (type: string, data: Buffer) => {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
};
const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]); // 1×1, 8-bit grey
/** a valid, never stamped 1×1 PNG */
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.from([0, 128]))), chunk('IEND', Buffer.alloc(0))]);
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'amphi-stamp-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('screenshot stamps', () => {
  it('keep the hash a PNG was stamped with, replace an earlier one, and leave the image bytes as they were', () => {
    expect(readStamp(stampPng(PNG, 'a'.repeat(64)))).toBe('a'.repeat(64));
    const twice = stampPng(stampPng(PNG, 'old'), 'new');
    expect(readStamp(twice)).toBe('new');
    expect(twice.length - stampPng(PNG, 'new').length).toBe(0);
    expect(twice.subarray(0, 33)).toEqual(PNG.subarray(0, 33)); // signature and IHDR
    expect(twice.subarray(-12)).toEqual(PNG.subarray(-12)); // IEND stays last
    expect(() => stampPng(Buffer.from('not a png'), 'x')).toThrow('not a PNG');
  });

  it('change the source hash when any build input changes, and not when a test file does', () => {
    const repo = tempDir();
    mkdirSync(join(repo, 'web/src'), { recursive: true });
    writeFileSync(join(repo, 'web/src/page.tsx'), 'export const text = "Audio is not connected in this version yet.";');
    const before = webSourceHash(repo);
    writeFileSync(join(repo, 'web/src/page.test.tsx'), 'a test');
    expect(webSourceHash(repo)).toBe(before);
    writeFileSync(join(repo, 'web/src/page.tsx'), 'export const text = "Tap to listen";');
    expect(webSourceHash(repo)).not.toBe(before);
  });

  it('report a screenshot taken from other sources, or never stamped, and pass one taken from these', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'fresh.png'), stampPng(PNG, 'now'));
    writeFileSync(join(dir, 'old.png'), stampPng(PNG, 'before'));
    writeFileSync(join(dir, 'unstamped.png'), PNG);
    writeFileSync(join(dir, 'notes.txt'), 'not a screenshot');
    expect(staleScreenshots(dir, 'now')).toEqual([
      { file: 'old.png', stamp: 'before' },
      { file: 'unstamped.png', stamp: null },
    ]);
  });
});
