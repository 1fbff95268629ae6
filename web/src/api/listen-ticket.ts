/**
 * @module listen-ticket — asks the server for a ticket to a room's audio (GET /api/rooms/:id/listen) and
 * reads the answer: a join token for the listener WebSocket, or a place in the node's waiting line (then
 * it asks again with that place after the estimated wait). Used before every (re)connect, because
 * tokens expire. Reads the answer defensively: only the fields it needs, each checked.
 */
import { parseLineText, placeInLine } from '../../../src/protocol/listener-line.ts';
import { ApiError } from './api-error.ts';
import { call } from './http.ts';

export interface ListenAdmission {
  readonly token: string;
  /** the listener socket's URL, without the query (it may be on a port of its own) */
  readonly endpoint: string;
}

export interface TicketWait {
  /** people ahead, the listener included */
  readonly position: number;
  readonly etaSeconds: number;
}

const str = (o: Record<string, unknown>, k: string): string | null => (typeof o[k] === 'string' ? (o[k] as string) : null);
const num = (o: Record<string, unknown>, k: string): number => (typeof o[k] === 'number' ? (o[k] as number) : 0);

/**
 * where a signed-out listener asks for its next ticket: the server names the listener port
 * (`ticketOrigin`) when it is faster to ask there, which matters when a whole audience reconnects at once
 */
const ticketOrigins = new Map<string, string>();

/** signing in or out changes who asks: a signed-in person's tickets must come from the API, which knows them */
export function forgetTicketOrigins(): void {
  ticketOrigins.clear();
}

async function ask(roomId: string, place: string | null, avoid: string | null): Promise<Record<string, unknown>> {
  const query = { ...(place !== null && { ticket: place }), ...(avoid !== null && { avoid }) };
  const opts = { params: { roomId }, ...(Object.keys(query).length > 0 && { query }) };
  const origin = ticketOrigins.get(roomId);
  if (origin !== undefined) {
    try {
      return await call<Record<string, unknown>>('listenTicket', { ...opts, origin });
    } catch (err) {
      // a refusal is the same from either place; only an unreachable listener port sends us back to the API
      if (!(err instanceof ApiError) || err.status !== null) throw err;
      ticketOrigins.delete(roomId);
    }
  }
  return call<Record<string, unknown>>('listenTicket', opts);
}

/**
 * holds the line socket until "admitted up to K" reaches our number, updating our place as the line
 * moves. Settles anyway after 4 × `fallbackMs`, and a socket that fails or closes early only ends the
 * wait once `fallbackMs` has passed — so a refused line socket can never make the page ask in a loop.
 * Closes the socket as soon as the listener leaves (`signal`).
 */
function waitForTurn(lineUrl: string, number: number, onWait: (w: TicketWait) => void, fallbackMs: number, signal: { readonly aborted: boolean }): Promise<void> {
  return new Promise((resolve) => {
    const began = Date.now();
    let ws: WebSocket | null = null;
    let settled = false;
    const done = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(watch);
      if (ws !== null) {
        ws.onclose = null;
        ws.onmessage = null;
        ws.close();
      }
      resolve();
    };
    const timer = setTimeout(done, fallbackMs * 4);
    const watch = setInterval(() => {
      if (signal.aborted) done();
    }, 1000);
    const closedEarly = (): void => {
      setTimeout(done, Math.max(0, fallbackMs - (Date.now() - began)));
    };
    try {
      ws = new WebSocket(lineUrl);
    } catch {
      // an unusable line URL: ask the server again after the estimate's share, as without a socket
      closedEarly();
      return;
    }
    ws.onclose = closedEarly;
    ws.onmessage = (e: MessageEvent) => {
      // anything but a line message is ignored: keep waiting for one
      const m = parseLineText(String(e.data));
      if (m === null || m.type !== 'line') return;
      const place = placeInLine(number, m);
      if (place === null) return done();
      onWait(place);
    };
  });
}

/**
 * resolves with a token, waiting in line first if the server says so; onWait reports the place in line.
 * `avoid`: the listener origin whose socket was just lost, so the server names another edge if it can.
 */
export async function fetchListenAdmission(roomId: string, avoid: string | null, onWait: (w: TicketWait | null) => void, signal: { readonly aborted: boolean }): Promise<ListenAdmission> {
  let place: string | null = null;
  for (;;) {
    const answer = await ask(roomId, place, avoid);
    const origin = str(answer, 'ticketOrigin');
    if (origin !== null) ticketOrigins.set(roomId, origin);
    const token = str(answer, 'token');
    const url = str(answer, 'url');
    if (token !== null && url !== null) {
      onWait(null);
      return { token, endpoint: url.split('?')[0] ?? url };
    }
    place = str(answer, 'ticket');
    if (place === null) throw ApiError.badResponse(200);
    const wait = { position: num(answer, 'position'), etaSeconds: num(answer, 'etaSeconds') };
    onWait(wait);
    const lineUrl = str(answer, 'lineUrl');
    const number = num(answer, 'number');
    // the line socket says when our number comes up (one shared message for everyone waiting);
    // without it, ask again after part of the estimate
    const fallbackMs = Math.min(10_000, Math.max(1000, wait.etaSeconds * 500));
    await (lineUrl !== null && number > 0 ? waitForTurn(lineUrl, number, onWait, fallbackMs, signal) : new Promise((r) => setTimeout(r, fallbackMs)));
    if (signal.aborted) throw ApiError.connectionLost();
  }
}
