/**
 * @module ogg-broadcast — the program as one continuous Ogg/Opus stream over plain HTTP, for any player
 * (ffmpeg, VLC, mpv, an HTML <audio> element) and for browsers without WebCodecs. Like an Icecast mount:
 * each stream has ONE muxer, so every page is built once and the same bytes go to every listener; a
 * newcomer first gets its own copy of the two header pages (same serial), then joins the shared pages
 * mid-stream. A listener whose connection holds more than the bound is dropped rather than buffered:
 * memory never grows with a slow listener. Knows stream keys and bytes, never rooms.
 */
import { OggOpusMuxer } from '../media/ogg-opus.ts';

export interface OggSink {
  write(chunk: Uint8Array): void;
  /** bytes written but not yet sent */
  buffered(): number;
  end(): void;
}

export interface OggBroadcastOptions {
  /** Opus packets (20 ms each) per Ogg page: 3 matches the 60 ms listener batches */
  readonly packetsPerPage?: number;
  readonly maxBufferedBytes?: number;
}

interface OggStream {
  readonly serial: number;
  readonly muxer: OggOpusMuxer;
  readonly sinks: Set<OggSink>;
}

export class OggBroadcast {
  readonly #streams = new Map<string, OggStream>();
  readonly #perPage: number;
  readonly #maxBuffered: number;
  #dropped = 0;

  constructor(options: OggBroadcastOptions = {}) {
    this.#perPage = options.packetsPerPage ?? 3;
    this.#maxBuffered = options.maxBufferedBytes ?? 64 * 1024;
  }

  get droppedListeners(): number {
    return this.#dropped;
  }

  listeners(): number {
    let n = 0;
    for (const s of this.#streams.values()) n += s.sinks.size;
    return n;
  }

  /** the listeners of one stream (0 when it is not open) */
  listenersOf(key: string): number {
    return this.#streams.get(key)?.sinks.size ?? 0;
  }

  open(key: string): void {
    if (this.#streams.has(key)) return;
    const serial = Math.floor(Math.random() * 0x1_0000_0000) >>> 0;
    const muxer = new OggOpusMuxer({ serial, packetsPerPage: this.#perPage });
    muxer.header(); // the shared muxer's own header is never sent: each listener gets a fresh copy
    this.#streams.set(key, { serial, muxer, sinks: new Set() });
  }

  has(key: string): boolean {
    return this.#streams.has(key);
  }

  /** starts a listener: header pages now, shared audio pages from the next full page on */
  addSink(key: string, sink: OggSink): boolean {
    const stream = this.#streams.get(key);
    if (!stream) return false;
    sink.write(new OggOpusMuxer({ serial: stream.serial, packetsPerPage: this.#perPage }).header());
    stream.sinks.add(sink);
    return true;
  }

  removeSink(key: string, sink: OggSink): void {
    this.#streams.get(key)?.sinks.delete(sink);
  }

  /** hot path: one muxer push per frame; a full page is written as the same bytes to every listener */
  push(key: string, opus: Uint8Array): void {
    const stream = this.#streams.get(key);
    if (!stream) return;
    const page = stream.muxer.push(opus);
    if (page.length === 0 || stream.sinks.size === 0) return;
    for (const sink of stream.sinks) {
      if (sink.buffered() > this.#maxBuffered) {
        stream.sinks.delete(sink);
        this.#dropped++;
        sink.end();
        continue;
      }
      sink.write(page);
    }
  }

  close(key: string): void {
    const stream = this.#streams.get(key);
    if (!stream) return;
    this.#streams.delete(key);
    const last = stream.muxer.end();
    for (const sink of stream.sinks) {
      if (last.length > 0) sink.write(last);
      sink.end();
    }
  }
}
