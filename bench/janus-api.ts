/**
 * @module bench/janus-api — a minimal client of the Janus HTTP API (janus-gateway 1.x REST): create a
 * session, attach a plugin handle, send a plugin message (with a JSEP), long-poll the session's events,
 * keep it alive, destroy it, read /janus/info. Every answer is checked against a schema and every
 * request has a timeout, so a stuck or saturated Janus shows as a coded error, never as a hang. It
 * speaks only to the Janus it was given (127.0.0.1 in the bench).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { JanusBenchError } from './janus-error.ts';

/** the plugin every listener attaches to */
export const STREAMING_PLUGIN = 'janus.plugin.streaming';

const jsepSchema = z.object({ type: z.enum(['offer', 'answer']), sdp: z.string() });

const messageSchema = z.looseObject({
  janus: z.string(),
  transaction: z.string().optional(),
  sender: z.number().optional(),
  data: z.looseObject({ id: z.number().optional() }).optional(),
  plugindata: z.object({ plugin: z.string(), data: z.record(z.string(), z.unknown()) }).optional(),
  jsep: jsepSchema.optional(),
  error: z.object({ code: z.number(), reason: z.string() }).optional(),
});

export type JanusMessage = z.infer<typeof messageSchema>;
export type Jsep = z.infer<typeof jsepSchema>;

const infoSchema = z.looseObject({ janus: z.literal('server_info'), version_string: z.string(), plugins: z.record(z.string(), z.unknown()) });
export type JanusInfo = z.infer<typeof infoSchema>;

/** how long an ordinary request may take; a long poll waits up to 30 s on Janus's side before this */
const REQUEST_TIMEOUT_MS = 15_000;
const POLL_TIMEOUT_MS = 40_000;

export class JanusApi {
  readonly #base: string;

  /** `base` is e.g. http://127.0.0.1:8088/janus */
  constructor(base: string) {
    this.#base = base.replace(/\/$/, '');
  }

  get base(): string {
    return this.#base;
  }

  async info(timeoutMs = REQUEST_TIMEOUT_MS): Promise<JanusInfo> {
    const body = await this.#fetchJson(`${this.#base}/info`, undefined, timeoutMs);
    const parsed = infoSchema.safeParse(body);
    if (!parsed.success) throw new JanusBenchError('bad_answer', `GET /info: not a server_info answer (${parsed.error.message})`);
    return parsed.data;
  }

  async createSession(): Promise<number> {
    return this.#expectId(await this.#post('', { janus: 'create' }), 'create');
  }

  async attach(session: number, plugin: string): Promise<number> {
    return this.#expectId(await this.#post(`/${session}`, { janus: 'attach', plugin }), 'attach');
  }

  /**
   * A plugin request. Synchronous requests (`list`, `info`) answer `success` with plugindata; the
   * asynchronous ones (`watch`, `start`) answer `ack`, and their result comes later as an event.
   */
  async message(session: number, handle: number, body: Readonly<Record<string, unknown>>, jsep?: Jsep): Promise<JanusMessage> {
    const m = await this.#post(`/${session}/${handle}`, { janus: 'message', body, ...(jsep && { jsep }) });
    if (m.janus !== 'ack' && m.janus !== 'success') throw errorOf(m, `message ${String(body['request'])}`);
    const pluginError = m.plugindata?.data['error'];
    if (typeof pluginError === 'string') throw new JanusBenchError('api_error', `message ${String(body['request'])}: ${pluginError}`);
    return m;
  }

  /** waits for the session's next events (Janus answers a `keepalive` after 30 s without any) */
  async poll(session: number, maxEvents = 1): Promise<JanusMessage[]> {
    const body = await this.#fetchJson(`${this.#base}/${session}?maxev=${maxEvents}&rid=${Date.now()}`, undefined, POLL_TIMEOUT_MS);
    const list: unknown[] = Array.isArray(body) ? body : [body];
    return list.map((raw) => parseMessage(raw, 'poll'));
  }

  async keepalive(session: number): Promise<void> {
    const m = await this.#post(`/${session}`, { janus: 'keepalive' });
    if (m.janus !== 'ack') throw errorOf(m, 'keepalive');
  }

  async destroy(session: number): Promise<void> {
    const m = await this.#post(`/${session}`, { janus: 'destroy' });
    if (m.janus !== 'success') throw errorOf(m, 'destroy');
  }

  async #post(path: string, request: Readonly<Record<string, unknown>>): Promise<JanusMessage> {
    const transaction = randomBytes(8).toString('hex');
    const body = await this.#fetchJson(`${this.#base}${path}`, { ...request, transaction }, REQUEST_TIMEOUT_MS);
    return parseMessage(body, String(request['janus']));
  }

  async #fetchJson(url: string, body: Readonly<Record<string, unknown>> | undefined, timeoutMs: number): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        ...(body !== undefined && { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      throw new JanusBenchError(timedOut ? 'api_timeout' : 'api_error', `${body === undefined ? 'GET' : 'POST'} ${url}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const text = await res.text();
    if (!res.ok) throw new JanusBenchError('api_error', `${url}: HTTP ${res.status} ${text.slice(0, 200)}`);
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new JanusBenchError('bad_answer', `${url}: not JSON: ${text.slice(0, 200)}`, { cause: err });
    }
  }

  #expectId(m: JanusMessage, what: string): number {
    const id = m.data?.id;
    if (m.janus !== 'success' || id === undefined) throw errorOf(m, what);
    return id;
  }
}

function parseMessage(raw: unknown, what: string): JanusMessage {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) throw new JanusBenchError('bad_answer', `${what}: unexpected answer ${JSON.stringify(raw).slice(0, 200)}`);
  return parsed.data;
}

function errorOf(m: JanusMessage, what: string): JanusBenchError {
  const reason = m.error ? `${m.error.code} ${m.error.reason}` : `answered '${m.janus}'`;
  return new JanusBenchError('api_error', `${what}: ${reason}`);
}

/** long-polls the session until the handle's `watch` event brings the offer, or throws by `deadline` */
export async function offerFor(api: JanusApi, session: number, handle: number, deadline: number): Promise<Jsep> {
  while (performance.now() < deadline) {
    for (const ev of await api.poll(session)) {
      if (ev.sender !== handle) continue;
      const error = ev.plugindata?.data['error'];
      if (typeof error === 'string') throw new JanusBenchError('api_error', `watch: ${error}`);
      if (ev.jsep?.type === 'offer') return ev.jsep;
    }
  }
  throw new JanusBenchError('no_offer', 'no offer from the Streaming plugin in time');
}
