/**
 * @module listener-query — how a listener says who it is and where to resume: both ride in the
 * WebSocket URL's query (`?token=…&resume=…`), so a join needs no message round trip before audio can
 * flow and the server can attach the listener during the upgrade. The listener sends nothing after
 * that. Pure: URL/URLSearchParams are globals in browsers and Node, no Node core module is imported.
 */
import { z } from 'zod';

/** The path a server mounts the listener endpoint on (transport/ owns the mounting). */
export const LISTENER_PATH = '/ws/listen';
export const MAX_TOKEN_LENGTH = 1024;

export interface ListenerQuery {
  readonly token: string;
  /** the last seq the listener played; the server sends the frames after it if it still holds them */
  readonly resumeFromSeq: number | null;
}

const querySchema = z.object({
  token: z.string().min(1).max(MAX_TOKEN_LENGTH),
  resume: z
    .string()
    .regex(/^(0|[1-9][0-9]{0,9})$/, 'resume must be a decimal uint32')
    .transform(Number)
    .refine((n) => n <= 0xffffffff, 'resume must be a uint32')
    .optional(),
});

export type ListenerQueryResult =
  | { readonly ok: true; readonly query: ListenerQuery }
  | { readonly ok: false; readonly code: 'bad_token' | 'bad_resume'; readonly message: string };

/** Reads and validates the listener query; a bad token maps to close code 4001, a bad resume too. */
export const parseListenerQuery = (params: URLSearchParams): ListenerQueryResult => {
  const parsed = querySchema.safeParse({
    token: params.get('token') ?? undefined,
    resume: params.get('resume') ?? undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0] === 'resume' ? 'bad_resume' : 'bad_token';
    return { ok: false, code: field, message: issue?.message ?? 'invalid listener query' };
  }
  return { ok: true, query: { token: parsed.data.token, resumeFromSeq: parsed.data.resume ?? null } };
};

/**
 * The URL to open: `base` is the endpoint (e.g. `wss://amphi.example/ws/listen`, any existing query is
 * kept), token and resume are set, replacing any earlier value.
 */
export const buildListenerUrl = (base: string, query: ListenerQuery): string => {
  const url = new URL(base);
  url.searchParams.set('token', query.token);
  if (query.resumeFromSeq === null) url.searchParams.delete('resume');
  else url.searchParams.set('resume', String(query.resumeFromSeq));
  return url.toString();
};
