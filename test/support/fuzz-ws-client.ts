/**
 * @module test/support/fuzz-ws-client — a room WebSocket client for the fuzz tests on the `ws` package:
 * connects with a session cookie and an Origin as a browser would, keeps every frame the server sends,
 * and hands them out one answer at a time (ack, pong or error), skipping the room's pushed state, so a
 * test can pair each message it sent with the answer it got. Every server frame must be JSON; one that
 * is not is reported as an answer of type 'malformed'. Test code only; never imported by src/.
 */
import WebSocket from 'ws';

export type ServerFrame = Readonly<Record<string, unknown>> & { readonly type: string };
export type Outcome =
  | { readonly kind: 'answer'; readonly frame: ServerFrame }
  | { readonly kind: 'closed'; readonly code: number; readonly reason: string }
  | { readonly kind: 'timeout' };

/** frames the hub pushes on its own; everything else answers a message */
const PUSHED = new Set(['state', 'me', 'hands', 'notice', 'stageNetwork']);

export class FuzzSocket {
  readonly #ws: WebSocket;
  readonly #answers: ServerFrame[] = [];
  #closed: { code: number; reason: string } | null = null;
  #wake: (() => void) | null = null;
  /** every frame received, pushed ones included */
  received = 0;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data, isBinary) => {
      this.received++;
      let frame: ServerFrame;
      try {
        const parsed: unknown = JSON.parse(String(data));
        frame = typeof parsed === 'object' && parsed !== null && 'type' in parsed && typeof parsed.type === 'string' ? (parsed as ServerFrame) : { type: 'malformed', text: String(data) };
      } catch {
        frame = { type: 'malformed', text: String(data).slice(0, 200), binary: isBinary };
      }
      if (!PUSHED.has(frame.type)) this.#answers.push(frame);
      this.#wake?.();
    });
    ws.on('close', (code, reason) => {
      this.#closed = { code, reason: String(reason) };
      this.#wake?.();
    });
    // a client-side error is followed by 'close', which the test reads; nothing to add here
    ws.on('error', () => undefined);
  }

  /** resolves once open, or with the HTTP status when the upgrade is refused */
  static connect(baseUrl: string, roomId: string, opts: { cookie?: string | null; origin?: string | null }): Promise<FuzzSocket | { refusedStatus: number }> {
    const headers: Record<string, string> = {};
    if (opts.origin) headers['origin'] = opts.origin;
    if (opts.cookie) headers['cookie'] = opts.cookie;
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/rooms/${roomId}/ws`, { headers });
    const socket = new FuzzSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_req, res) => {
        resolve({ refusedStatus: res.statusCode ?? 0 });
        res.resume();
        ws.terminate();
      });
      ws.once('error', (err) => reject(err));
    });
  }

  get isOpen(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  send(data: string | Uint8Array, binary = false): void {
    this.#ws.send(data, { binary });
  }

  /** the next answer (ack, pong, error), or the close if it comes first, or a timeout */
  async next(timeoutMs = 5000): Promise<Outcome> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = this.#answers.shift();
      if (frame) return { kind: 'answer', frame };
      if (this.#closed) return { kind: 'closed', ...this.#closed };
      const left = deadline - Date.now();
      if (left <= 0) return { kind: 'timeout' };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = null;
    }
  }

  /** answers still unread */
  get pending(): number {
    return this.#answers.length;
  }

  /** closes from our side and waits for the close to finish */
  async close(): Promise<void> {
    if (this.#closed) return;
    const done = new Promise<void>((resolve) => this.#ws.once('close', () => resolve()));
    this.#ws.close(1000);
    await done;
  }
}
