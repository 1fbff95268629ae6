/**
 * @module hub-server.test-helper — a real HTTP + `ws` server on 127.0.0.1 port 0 that attaches each
 * connection to a StreamHub the way transport/ will (query → join token → addListener), and a client
 * that decodes what it receives. For tests only; it never replaces a component with a fake.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { CLOSE_CODES, closeReason } from '../protocol/close-codes.ts';
import { decodeListenerMessage, type AudioFrame, type ListenerMessage } from '../protocol/listener-frame.ts';
import { LISTENER_PATH, buildListenerUrl, parseListenerQuery } from '../protocol/listener-query.ts';
import { signJoinToken, verifyJoinToken } from './join-token.ts';
import type { ListenerSocket } from './listener-socket.ts';
import { WsListenerSocket } from './socket-ws.ts';
import type { AddListenerResult, StreamHub } from './stream-hub.ts';
import { asStreamId } from './stream-id.ts';

export const TEST_SECRET = 'hub-server-test-secret-of-enough-length';

/** a program frame whose bytes say its seq, `bytes` long */
export const testFrame = (seq: number, bytes = 3): AudioFrame => ({
  seq,
  captureTimeMs: 1_700_000_000_000 + seq * 20,
  opus: new Uint8Array(bytes).fill(seq & 0xff),
});

/** Wraps the real ws adapter to remember which buffer objects the hub handed it. */
export class RecordingSocket implements ListenerSocket {
  readonly sent: Uint8Array[] = [];
  closedWith: number | null = null;
  constructor(readonly inner: WsListenerSocket) {}
  send(buf: Uint8Array): void {
    this.sent.push(buf);
    this.inner.send(buf);
  }
  bufferedAmount(): number {
    return this.inner.bufferedAmount();
  }
  close(code: number, reason: string): void {
    this.closedWith = code;
    this.inner.close(code, reason);
  }
}

export interface ServerConnection {
  readonly ws: WebSocket;
  readonly socket: RecordingSocket;
  readonly result: AddListenerResult | null;
}

export interface HubServer {
  readonly endpoint: string;
  readonly connections: ServerConnection[];
  /** socket errors the server saw; tests expect none */
  readonly errors: Error[];
  /** Ends every connection abruptly (like a node losing its network), without a close code. */
  dropAll(): void;
  close(): Promise<void>;
}

export const startHubServer = async (hub: StreamHub, now: () => number): Promise<HubServer> => {
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http, path: LISTENER_PATH, maxPayload: 1024 });
  const connections: ServerConnection[] = [];
  const errors: Error[] = [];
  wss.on('connection', (ws, req) => {
    const socket = new RecordingSocket(new WsListenerSocket(ws));
    ws.on('error', (e) => errors.push(e));
    const query = parseListenerQuery(new URL(req.url ?? '/', 'http://x').searchParams);
    const verdict = query.ok && query.query.kind === 'token' ? verifyJoinToken(TEST_SECRET, query.query.token, now()) : null;
    if (!query.ok || verdict === null || !verdict.ok) {
      socket.close(CLOSE_CODES.badToken, closeReason(CLOSE_CODES.badToken));
      connections.push({ ws, socket, result: null });
      return;
    }
    const result = hub.addListener(verdict.claims.streamId, socket, { resumeFromSeq: query.query.resumeFromSeq });
    if (result.ok) ws.on('close', () => hub.removeListener(result.handle));
    connections.push({ ws, socket, result });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    endpoint: `ws://127.0.0.1:${port}${LISTENER_PATH}`,
    connections,
    errors,
    dropAll: () => {
      for (const c of wss.clients) c.terminate();
    },
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve, reject) => wss.close((e) => (e ? reject(e) : resolve())));
      await new Promise<void>((resolve, reject) => http.close((e) => (e ? reject(e) : resolve())));
    },
  };
};

export const tokenFor = (stream: string, expiresAt = Number.MAX_SAFE_INTEGER): string =>
  signJoinToken(TEST_SECRET, { streamId: asStreamId(stream), userId: null, issuedAt: 0, expiresAt });

/** A listener client that decodes every message and lets a test await a condition on what arrived. */
export class TestClient {
  readonly messages: ListenerMessage[] = [];
  closeCode: number | null = null;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.binaryType = 'arraybuffer';
    ws.on('message', (data) => {
      this.messages.push(decodeListenerMessage(data as ArrayBuffer));
      this.wake();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
  }

  static async connect(endpoint: string, stream: string, resumeFromSeq: number | null = null): Promise<TestClient> {
    const ws = new WebSocket(buildListenerUrl(endpoint, { token: tokenFor(stream), resumeFromSeq }));
    const client = new TestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    // The server attaches during its 'connection' handler; the first message (stream state) proves it did.
    await client.until(() => client.messages.length > 0 || client.closeCode !== null);
    return client;
  }

  get frames(): AudioFrame[] {
    return this.messages.flatMap((m) => (m.type === 'audio' ? m.frames : []));
  }

  get seqs(): number[] {
    return this.frames.map((f) => f.seq);
  }

  until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const check = (): void => {
        if (condition()) resolve();
        else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  close(): void {
    this.ws.close();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

export const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
