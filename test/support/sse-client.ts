/**
 * @module test/support/sse-client — reads a Server-Sent Events stream (GET /api/me/events) with the
 * person's cookie and lets a test wait for the next event of a kind, without sleeping. Test code only.
 */
import { recordResponse } from './api-recorder.ts';

export interface SseEvent {
  readonly event: string;
  readonly data: Record<string, unknown>;
}

export interface SseStream {
  readonly status: number;
  readonly contentType: string | null;
  readonly events: SseEvent[];
  /** comment lines seen (heartbeats) */
  readonly comments: string[];
  next(event: string, count?: number): Promise<SseEvent>;
  close(): void;
}

export async function openEvents(base: string, cookie: string | null, path = '/api/me/events'): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(base + path, { headers: cookie ? { cookie } : {}, signal: abort.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const waiters: Array<() => void> = [];
  const wakeAll = () => waiters.splice(0).forEach((w) => w());
  if (res.body) {
    void (async () => {
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buf += value;
          let at: number;
          while ((at = buf.indexOf('\n\n')) !== -1) {
            const block = buf.slice(0, at);
            buf = buf.slice(at + 2);
            let event = 'message';
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) comments.push(line);
              else if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) data += line.slice(5).trim();
            }
            if (data !== '') events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
            wakeAll();
          }
        }
      } catch {
        // aborted by close(): the stream simply ends
      }
    })();
  }
  const next = (event: string, count = 1) =>
    new Promise<SseEvent>((resolve) => {
      const check = () => {
        const found = events.filter((e) => e.event === event);
        if (found.length >= count) resolve(found[count - 1] as SseEvent);
        else waiters.push(check);
      };
      check();
    });
  return { status: res.status, contentType: res.headers.get('content-type'), events, comments, next, close: () => abort.abort() };
}
