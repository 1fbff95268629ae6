/**
 * @module bench/waiting-line — what a listener told "waiting" does, for the join storm: read the listen
 * answer (admitted with a socket path, or a numbered place in line), then hold the node's line socket
 * (/ws/line) until its shared "admitted up to K" message reaches our number. Bounded by a deadline;
 * one line socket per waiting join, as each browser would hold one.
 */
import { RawWsClient, targetOfUrl } from './raw-ws-client.ts';

export type ListenAnswer =
  | { readonly kind: 'admitted'; readonly url: string }
  | { readonly kind: 'waiting'; readonly ticket: string; readonly number: number; readonly lineUrl: string };

const str = (o: object, k: string): string | null => {
  const v: unknown = (o as Record<string, unknown>)[k];
  return typeof v === 'string' ? v : null;
};

/** the listen endpoint's answer, or null when it has neither a path nor a place in line */
export function listenAnswer(body: unknown): ListenAnswer | null {
  if (typeof body !== 'object' || body === null) return null;
  const url = str(body, 'url');
  if (url !== null) return { kind: 'admitted', url };
  const ticket = str(body, 'ticket');
  const lineUrl = str(body, 'lineUrl');
  const number: unknown = (body as Record<string, unknown>)['number'];
  if (ticket === null || lineUrl === null || typeof number !== 'number') return null;
  return { kind: 'waiting', ticket, number, lineUrl };
}

/** admittedUpTo from a line message, or null for anything else */
export function admittedUpTo(text: string): number | null {
  try {
    const m: unknown = JSON.parse(text);
    if (typeof m !== 'object' || m === null) return null;
    const k: unknown = (m as Record<string, unknown>)['admittedUpTo'];
    return (m as Record<string, unknown>)['type'] === 'line' && typeof k === 'number' ? k : null;
  } catch {
    // Not JSON: not a line message; the caller keeps waiting for one.
    return null;
  }
}

/** resolves 'admitted' when the line reaches `number`, else a short reason (socket trouble, deadline) */
export function waitInLine(lineUrl: string, number: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (outcome: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      client.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish('still in line at the timeout'), Math.max(0, timeoutMs));
    const client = new RawWsClient(
      targetOfUrl(lineUrl),
      {
        onOpen: () => undefined,
        onMessage: (buf, start, end, binary) => {
          if (binary) return;
          const k = admittedUpTo(buf.toString('utf8', start, end));
          if (k !== null && k >= number) finish('admitted');
        },
        onClose: (code, detail) => finish(code === 0 ? `line socket: ${detail}` : `line socket closed ${code}`),
      },
    );
  });
}
