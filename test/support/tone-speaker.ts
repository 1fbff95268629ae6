/**
 * @module test/support/tone-speaker — a stage member's microphone as tests make it: a synthetic WebRTC
 * speaker (a known tone) whose offer goes over the member's room socket, as the web client's does.
 * Test code only.
 */
import { SyntheticSpeaker } from '../../src/media/synthetic-speaker.test-helper.ts';
import type { RoomSocket } from './room-socket-client.ts';

export async function toneOverRoomSocket(sock: RoomSocket, freq: number, slots = 0, answerMs = 15_000, source?: () => Int16Array): Promise<SyntheticSpeaker> {
  let k = 0;
  return SyntheticSpeaker.connect(async (sdp) => {
    const ref = `offer${++k}`;
    const from = sock.messages.length;
    sock.send({ type: 'rtcOffer', ref, sdp });
    const answer = await sock.waitFor((m) => (m.type === 'rtcAnswer' || m.type === 'error') && m.ref === ref, answerMs, from);
    if (answer.type !== 'rtcAnswer') throw new Error(`offer refused: ${JSON.stringify(answer)}`);
    return answer.sdp;
  }, { freq, amplitude: 0.3, slots, ...(source !== undefined && { source }) });
}

export interface StageTone {
  /** how many times the member offered (1 + one per rtcRestart or refusal retried) */
  readonly offers: number;
  close(): void;
}

/**
 * A tone from a stage member that follows the stage as the web client does: when the server says the
 * stage moved (rtcRestart), or refuses an offer as `unavailable` (no node holds the stage yet), the old
 * peer is closed and a new one offers again after a moment.
 */
export async function followingTone(sock: RoomSocket, freq: number): Promise<StageTone> {
  let speaker: SyntheticSpeaker | null = await toneOverRoomSocket(sock, freq);
  let offers = 1;
  let seen = sock.messages.length;
  let closed = false;
  const reoffer = async (): Promise<void> => {
    while (!closed) {
      speaker?.close();
      speaker = null;
      offers += 1;
      try {
        speaker = await toneOverRoomSocket(sock, freq);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  };
  let busy: Promise<void> | null = null;
  const watch = setInterval(() => {
    const fresh = sock.messages.slice(seen);
    seen = sock.messages.length;
    if (busy === null && fresh.some((m) => m.type === 'rtcRestart')) busy = reoffer().finally(() => (busy = null));
  }, 50);
  return {
    get offers() {
      return offers;
    },
    close() {
      closed = true;
      clearInterval(watch);
      speaker?.close();
    },
  };
}
