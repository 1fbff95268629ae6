/**
 * @module test/support/tone-speaker — a stage member's microphone as tests make it: a synthetic WebRTC
 * speaker (a known tone) whose offer goes over the member's room socket, as the web client's does.
 * Test code only.
 */
import { SyntheticSpeaker } from '../../src/media/synthetic-speaker.test-helper.ts';
import type { RoomSocket } from './room-socket-client.ts';

export async function toneOverRoomSocket(sock: RoomSocket, freq: number, slots = 0, answerMs = 15_000): Promise<SyntheticSpeaker> {
  let k = 0;
  return SyntheticSpeaker.connect(async (sdp) => {
    const ref = `offer${++k}`;
    const from = sock.messages.length;
    sock.send({ type: 'rtcOffer', ref, sdp });
    const answer = await sock.waitFor((m) => (m.type === 'rtcAnswer' || m.type === 'error') && m.ref === ref, answerMs, from);
    if (answer.type !== 'rtcAnswer') throw new Error(`offer refused: ${JSON.stringify(answer)}`);
    return answer.sdp;
  }, { freq, amplitude: 0.3, slots });
}
