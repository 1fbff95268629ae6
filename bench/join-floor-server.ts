/**
 * @module bench/join-floor-server — the least a uWebSockets.js listener join can cost: a bare uWS app
 * on /ws/listen with no JavaScript in the upgrade (uWS answers it natively) that sends each new socket
 * the stream-state message and one audio batch, as Amphi's first audio does. No rooms, no admission,
 * no fan-out. bench/join-floor.ts storms it to measure the kernel's and uWS's own cost per join on this
 * machine, the floor under Amphi's figure. Prints its port on stdout, then serves until killed.
 */
import uWS from '@trufflesuite/uws-js-unofficial';
import { encodeAudioBatch, encodeStreamState } from '../src/protocol/listener-frame.ts';

const STATE = encodeStreamState('live');
const AUDIO = encodeAudioBatch([0, 1, 2].map((i) => ({ seq: i, captureTimeMs: Date.now(), opus: new Uint8Array(80) })));

uWS
  .App()
  .ws('/ws/listen', {
    compression: uWS.DISABLED,
    maxPayloadLength: 1024,
    idleTimeout: 120,
    open: (ws) => {
      ws.send(STATE, true, false);
      ws.send(AUDIO, true, false);
    },
  })
  .listen('127.0.0.1', 0, (s) => {
    if (s === false) {
      process.stderr.write('join-floor-server: could not listen\n');
      process.exit(2);
    }
    process.stdout.write(`${uWS.us_socket_local_port(s)}\n`);
  });
