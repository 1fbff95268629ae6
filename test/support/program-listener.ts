/**
 * @module test/support/program-listener — a listener written from docs/protocol.md alone: asks the
 * server for a listen ticket, opens the listener WebSocket, decodes each batch and each Opus frame to
 * PCM, and keeps every frame with its seq, capture time and arrival time, so tests can measure what a
 * listener hears (tone, level) and when.
 */
import WebSocket from 'ws';
import { decodeListenerMessage } from '../../src/protocol/listener-frame.ts';
import { OpusFrameDecoder } from '../../src/media/opus-codec.ts';
import { recordResponse } from './api-recorder.ts';

export interface HeardFrame {
  readonly seq: number;
  readonly captureTimeMs: number;
  readonly arrivedMs: number;
  readonly pcm: Int16Array;
}

export class ProgramListener {
  readonly frames: HeardFrame[] = [];
  readonly states: string[] = [];
  /** the room messages its audio socket carried (state, tick, me, notice), parsed */
  readonly roomMessages: Array<{ type: string; [k: string]: unknown }> = [];
  closed: { code: number; reason: string } | null = null;
  readonly #decoder = new OpusFrameDecoder();

  private constructor(readonly ws: WebSocket) {
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data: Buffer) => {
      const msg = decodeListenerMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      const arrivedMs = Date.now();
      if (msg.type === 'streamState') this.states.push(msg.state);
      else if (msg.type === 'room') this.roomMessages.push(JSON.parse(msg.json) as { type: string });
      else for (const f of msg.frames) this.frames.push({ seq: f.seq, captureTimeMs: f.captureTimeMs, arrivedMs, pcm: this.#decoder.decode(f.opus) });
    });
    ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
  }

  /**
   * `cookie` null = a signed-out listener; `resume` = the last seq already heard; `at` = a listener
   * origin to connect to instead of the edge the ticket names (a join token is good on every node), for
   * a test that pins a listener to one node
   */
  static async open(base: string, roomId: string, cookie: string | null, resume?: number, at?: string): Promise<ProgramListener> {
    // a busy node may give a place in line first: ask again with it, as a real client does
    let ticket: { admission: 'admitted'; url: string } | { admission: 'waiting'; ticket: string };
    let place = '';
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${base}/api/rooms/${roomId}/listen${place}`, { headers: cookie ? { cookie } : {} });
      const text = await res.text();
      recordResponse('GET', res.url, res.status, res.headers.get('content-type'), text);
      if (res.status !== 200) throw new Error(`listen ticket: ${res.status} ${text}`);
      ticket = JSON.parse(text) as typeof ticket;
      if (ticket.admission === 'admitted') break;
      if (attempt > 100) throw new Error('listen ticket: still waiting in line after 100 tries');
      place = `?ticket=${encodeURIComponent(ticket.ticket)}`;
      await new Promise((r) => setTimeout(r, 100));
    }
    const given = new URL(ticket.url);
    const named = at === undefined ? ticket.url : `${at}${given.pathname}${given.search}`;
    const url = named + (resume === undefined ? '' : `&resume=${resume}`);
    const ws = new WebSocket(url);
    const l = new ProgramListener(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return l;
  }

  /** PCM of the frames captured at or after `sinceMs` (server wall clock) */
  pcmSince(sinceMs: number): Int16Array {
    const picked = this.frames.filter((f) => f.captureTimeMs >= sinceMs);
    const out = new Int16Array(picked.reduce((n, f) => n + f.pcm.length, 0));
    let o = 0;
    for (const f of picked) {
      out.set(f.pcm, o);
      o += f.pcm.length;
    }
    return out;
  }

  /** waits until `pred` holds, polling the recorded frames */
  async until(pred: () => boolean, ms = 8000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > deadline) throw new Error(`listener: condition not met in ${ms} ms (${this.frames.length} frames, states ${this.states.join(',')})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.ws.close();
  }
}
