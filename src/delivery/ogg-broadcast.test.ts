import { describe, expect, it } from 'vitest';
import { OggBroadcast, type OggSink } from './ogg-broadcast.ts';

/** a sink that records what it got and reports whatever backlog the test sets */
class Sink implements OggSink {
  chunks: Uint8Array[] = [];
  ended = false;
  backlog = 0;
  write(c: Uint8Array): void {
    this.chunks.push(c);
  }
  buffered(): number {
    return this.backlog;
  }
  end(): void {
    this.ended = true;
  }
}

const packet = new Uint8Array([0xf8, 0xff, 0xfe]); // a 20 ms Opus frame (TOC config 31, silence)
const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

describe('OggBroadcast', () => {
  it('counts listeners per stream and in all (what a node reports to the cluster)', () => {
    const ogg = new OggBroadcast();
    ogg.open('a');
    ogg.open('b');
    ogg.addSink('a', new Sink());
    ogg.addSink('a', new Sink());
    ogg.addSink('b', new Sink());
    expect([ogg.listenersOf('a'), ogg.listenersOf('b'), ogg.listenersOf('none'), ogg.listeners()]).toEqual([2, 1, 0, 3]);
  });

  it('gives each newcomer its own header pages, then the same page bytes as everyone else', () => {
    const ogg = new OggBroadcast({ packetsPerPage: 3 });
    ogg.open('room');
    const a = new Sink();
    const b = new Sink();
    ogg.addSink('room', a);
    for (let i = 0; i < 3; i++) ogg.push('room', packet);
    ogg.addSink('room', b);
    for (let i = 0; i < 3; i++) ogg.push('room', packet);
    expect(ascii(a.chunks[0] ?? new Uint8Array(), 0, 4)).toBe('OggS');
    expect(ascii(b.chunks[0] ?? new Uint8Array(), 28, 8)).toBe('OpusHead');
    // the page written after b joined is the very same object for both
    expect(a.chunks.at(-1)).toBe(b.chunks.at(-1));
    expect(a.chunks).toHaveLength(3);
    expect(b.chunks).toHaveLength(2);
  });

  it('drops a listener whose connection holds more than the bound, and keeps serving the others', () => {
    const ogg = new OggBroadcast({ packetsPerPage: 1, maxBufferedBytes: 1000 });
    ogg.open('room');
    const slow = new Sink();
    const fine = new Sink();
    ogg.addSink('room', slow);
    ogg.addSink('room', fine);
    slow.backlog = 5000;
    ogg.push('room', packet);
    expect(slow.ended).toBe(true);
    expect(ogg.droppedListeners).toBe(1);
    expect(ogg.listeners()).toBe(1);
    expect(fine.chunks).toHaveLength(2);
  });

  it('ends every listener with a last page when the stream closes, and refuses newcomers after', () => {
    const ogg = new OggBroadcast();
    ogg.open('room');
    const s = new Sink();
    ogg.addSink('room', s);
    ogg.push('room', packet);
    ogg.close('room');
    expect(s.ended).toBe(true);
    expect(ogg.addSink('room', new Sink())).toBe(false);
  });
});
