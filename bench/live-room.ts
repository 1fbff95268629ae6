/**
 * @module bench/live-room — makes the room the bench listens to, the way people do over the public
 * API: a host signs up, creates a room, opens the room WebSocket, publishes a synthetic microphone (a
 * tone from @roamhq/wrtc) negotiated on it, unmutes and goes live. Then anyone may fetch listen
 * tickets. In a cluster the host's socket and actions may go to another node than the one the room
 * was made on, and the speaker may follow the stage when it moves (an origin failover). Owns the
 * speaker and the host's socket and closes both; never touches the server's insides.
 */
import { RoomSocket } from '../test/support/room-socket-client.ts';
import { SyntheticSpeaker } from '../src/media/synthetic-speaker.test-helper.ts';
import { listenAnswer } from './waiting-line.ts';

/** how long the bench waits in the node's line for its own ticket before giving up */
const LINE_PATIENCE_MS = 60_000;

export interface LiveRoom {
  readonly roomId: string;
  /** GET this for a listen ticket */
  readonly ticketUrl: string;
  /** a fresh ticket's socket URL, e.g. ws://127.0.0.1:8081/ws/listen?token=… (waits in the node's line if told to) */
  socketUrl(): Promise<string>;
  close(): void;
}

async function call(base: string, method: string, path: string, cookie: string | null, body?: unknown): Promise<{ status: number; body: unknown; cookie: string | null }> {
  const res = await fetch(base + path, {
    method,
    headers: { origin: base, ...(body !== undefined && { 'content-type': 'application/json' }), ...(cookie !== null && { cookie }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const set = res.headers.get('set-cookie');
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown), cookie: set === null ? cookie : (set.split(';')[0] ?? null) };
}

function field(body: unknown, ...path: string[]): string {
  let v: unknown = body;
  for (const k of path) v = typeof v === 'object' && v !== null && k in v ? (v as Record<string, unknown>)[k] : undefined;
  if (typeof v !== 'string') throw new Error(`unexpected answer, no ${path.join('.')}: ${JSON.stringify(body)}`);
  return v;
}

/** a listen ticket's socket URL; when the node says "wait", asks again with the place until admitted */
export async function admittedUrl(base: string, roomId: string): Promise<string> {
  const deadline = Date.now() + LINE_PATIENCE_MS;
  let place = '';
  for (;;) {
    const r = await call(base, 'GET', `/api/rooms/${roomId}/listen${place}`, null);
    const answer = listenAnswer(r.body);
    if (answer === null) throw new Error(`listen ticket refused: ${r.status} ${JSON.stringify(r.body)}`);
    if (answer.kind === 'admitted') return answer.url;
    if (Date.now() > deadline) throw new Error(`still in the node's line after ${LINE_PATIENCE_MS / 1000} s (place ${answer.number})`);
    place = `?ticket=${encodeURIComponent(answer.ticket)}`;
    await new Promise((res) => setTimeout(res, 250));
  }
}

export interface StageOptions {
  /** the node the host's room socket and actions go to, once the room exists (default: where it was made) */
  readonly stageBase?: (roomId: string) => Promise<string>;
  /** the host's microphone over their room socket (default: one synthetic speaker, negotiated once) */
  readonly speaker?: (sock: RoomSocket, toneHz: number) => Promise<{ close(): void }>;
}

/** one synthetic speaker whose offer goes over the host's room socket once */
function speakOnce(sock: RoomSocket, toneHz: number): Promise<SyntheticSpeaker> {
  return SyntheticSpeaker.connect(async (sdp) => {
    const from = sock.messages.length;
    sock.send({ type: 'rtcOffer', ref: 'bench', sdp });
    const answer = await sock.waitFor((m) => (m.type === 'rtcAnswer' || m.type === 'error') && 'ref' in m && m.ref === 'bench', 30_000, from);
    if (answer.type !== 'rtcAnswer') throw new Error(`offer refused: ${JSON.stringify(answer)}`);
    return answer.sdp;
  }, { freq: toneHz, amplitude: 0.3 });
}

export async function openLiveRoom(base: string, toneHz = 440, stage: StageOptions = {}): Promise<LiveRoom> {
  const handle = `bench${Date.now() % 1_000_000_000}`;
  const signUp = await call(base, 'POST', '/api/accounts', null, { handle, displayName: 'Bench host', password: 'a good long bench password' });
  if (signUp.status !== 201) throw new Error(`sign up failed: ${signUp.status} ${JSON.stringify(signUp.body)}`);
  const cookie = signUp.cookie;
  const made = await call(base, 'POST', '/api/rooms', cookie, { title: 'Bench room' });
  if (made.status !== 201 && made.status !== 200) throw new Error(`create room failed: ${made.status} ${JSON.stringify(made.body)}`);
  const roomId = field(made.body, 'room', 'id');
  const stageBase = stage.stageBase === undefined ? base : await stage.stageBase(roomId);
  const sock = await RoomSocket.open(stageBase, roomId, cookie);
  let speaker: { close(): void } | null = null;
  const close = (): void => {
    speaker?.close();
    sock.close();
  };
  try {
    speaker = await (stage.speaker ?? speakOnce)(sock, toneHz);
    for (const type of ['unmute', 'goLive']) {
      const r = await call(stageBase, 'POST', `/api/rooms/${roomId}/actions`, cookie, { type });
      if (r.status !== 200) throw new Error(`${type} failed: ${r.status} ${JSON.stringify(r.body)}`);
    }
  } catch (err) {
    close();
    throw err;
  }
  const ticketUrl = `${base}/api/rooms/${roomId}/listen`;
  return {
    roomId,
    ticketUrl,
    socketUrl: () => admittedUrl(base, roomId),
    close,
  };
}
