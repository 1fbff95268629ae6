/**
 * @module listener-line — the waiting line's text messages, as JSON. A direct join (`/ws/listen?room=`)
 * that finds the node full stays connected and first gets `waiting` (its own number in the node's
 * line), then the shared `line` messages every waiting client gets (the same bytes for all, also on
 * /ws/line): when `admittedUpTo` reaches its number the server moves the socket into the stream and
 * the binary messages begin. Clients work out their place as number − admittedUpTo. Pure: encoding
 * and a defensive parser, shared by the server, the reference client and the web app.
 */

export interface WaitingMessage {
  readonly type: 'waiting';
  /** this socket's number in the node's line */
  readonly number: number;
  /** people ahead, this one included */
  readonly position: number;
  readonly etaSeconds: number;
}

export interface LineMessage {
  readonly type: 'line';
  /** every number up to this one is let in */
  readonly admittedUpTo: number;
  readonly waiting: number;
  /** how many the line lets in per second now */
  readonly perSecond: number;
}

export type LineTextMessage = WaitingMessage | LineMessage;

export const encodeWaiting = (m: Omit<WaitingMessage, 'type'>): string =>
  JSON.stringify({ type: 'waiting', number: m.number, position: m.position, etaSeconds: m.etaSeconds });

export const encodeLine = (m: Omit<LineMessage, 'type'>): string =>
  JSON.stringify({ type: 'line', admittedUpTo: m.admittedUpTo, waiting: m.waiting, perSecond: m.perSecond });

const count = (o: Record<string, unknown>, k: string): number | null => {
  const v = o[k];
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
};

/** the message in a text frame, or null when it is not one of these (a client then ignores it) */
export function parseLineText(text: string): LineTextMessage | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const o = raw as Record<string, unknown>;
  if (o['type'] === 'waiting') {
    const number = count(o, 'number');
    const position = count(o, 'position');
    const etaSeconds = count(o, 'etaSeconds');
    return number === null || position === null || etaSeconds === null ? null : { type: 'waiting', number, position, etaSeconds };
  }
  if (o['type'] === 'line') {
    const admittedUpTo = count(o, 'admittedUpTo');
    const waiting = count(o, 'waiting');
    const perSecond = count(o, 'perSecond');
    return admittedUpTo === null || waiting === null || perSecond === null ? null : { type: 'line', admittedUpTo, waiting, perSecond };
  }
  return null;
}

/** where a client holding `number` stands after a line message, at the line's current rate */
export function placeInLine(number: number, line: LineMessage): { readonly position: number; readonly etaSeconds: number } | null {
  if (line.admittedUpTo >= number) return null;
  const position = number - line.admittedUpTo;
  return { position, etaSeconds: Math.max(1, Math.ceil(position / Math.max(1, line.perSecond))) };
}
