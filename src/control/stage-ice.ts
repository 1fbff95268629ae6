/**
 * @module stage-ice — the ICE servers a stage member's browser makes its peer connection with: the
 * operator's TURN servers (AMPHI_TURN_URLS) with a credential of the member's own, made by the TURN
 * REST API convention coturn implements (`use-auth-secret`): username `expiry:userId`, password
 * base64(HMAC-SHA1(secret, username)). coturn checks it with the same shared secret and no database,
 * and refuses it after `expiry` (seconds since the epoch). Only stage members get one: a relay is
 * bandwidth the operator pays for. It must never hand a credential to anyone off the stage, and never
 * log the secret.
 */
import { createHmac } from 'node:crypto';
import type { UserId } from '../domain/ids.ts';
import { stageMember } from '../domain/room-queries.ts';
import type { RoomState } from '../domain/room-state.ts';
import type { IceServerView } from '../protocol/stage-network.ts';
import { AmphiError } from './errors.ts';

export interface TurnSettings {
  readonly urls: readonly string[];
  readonly secret: string;
  readonly ttlS: number;
}

export interface TurnCredential {
  readonly username: string;
  readonly credential: string;
  /** ms since the epoch */
  readonly expiresAt: number;
}

/** the TURN REST API credential for `userId`, valid `ttlS` seconds from `nowMs` */
export function turnCredential(secret: string, userId: string, nowMs: number, ttlS: number): TurnCredential {
  const expiry = Math.floor(nowMs / 1000) + ttlS;
  const username = `${expiry}:${userId}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64'), expiresAt: expiry * 1000 };
}

export interface StageIceConfig {
  readonly iceServers: readonly IceServerView[];
  readonly expiresAt: number | null;
}

export class StageIce {
  readonly #turn: TurnSettings | null;
  readonly #now: () => number;

  /** `turn`: null when the operator runs no TURN server (members then connect directly or not at all) */
  constructor(turn: TurnSettings | null, now: () => number) {
    this.#turn = turn;
    this.#now = now;
  }

  /** the ICE servers for a stage member's next peer; refuses anyone not on the room's stage (`not_on_stage`) */
  forMember(state: RoomState | undefined, userId: UserId): StageIceConfig {
    if (state === undefined || state.status === 'ended' || stageMember(state, userId) === undefined) {
      throw new AmphiError('not_on_stage', 'Only people on the stage connect a microphone. Ask to speak first.');
    }
    if (this.#turn === null) return { iceServers: [], expiresAt: null };
    const c = turnCredential(this.#turn.secret, userId, this.#now(), this.#turn.ttlS);
    return { iceServers: [{ urls: [...this.#turn.urls], username: c.username, credential: c.credential }], expiresAt: c.expiresAt };
  }
}
