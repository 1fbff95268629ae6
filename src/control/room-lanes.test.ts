/** @module room-lanes.test — moderators first, audience asks batched, failures kept to their own asks. */
import { describe, expect, it } from 'vitest';
import { asRoomId } from '../domain/ids.ts';
import { RoomLanes, type Answer } from './room-lanes.ts';

const ROOM = asRoomId('r');
const OTHER = asRoomId('o');

function recorder() {
  const log: string[] = [];
  const batches: string[][] = [];
  let gate: Promise<void> = Promise.resolve();
  const lanes = new RoomLanes<string, string>(async (_room, asks) => {
    batches.push([...asks]);
    await gate;
    log.push(`batch ${asks.join(',')}`);
    return asks.map((a): Answer<string> => (a === 'bad' ? { ok: false, error: new Error('bad ask') } : { ok: true, value: a.toUpperCase() }));
  }, 3);
  return { log, batches, lanes, hold: (p: Promise<void>) => (gate = p) };
}

describe('RoomLanes', () => {
  it('answers every audience ask made in one turn from one batch, up to the batch size', async () => {
    const { lanes, batches } = recorder();
    const answers = await Promise.all(['a', 'b', 'c', 'd'].map((a) => lanes.audience(ROOM, a)));
    expect(answers).toEqual(['A', 'B', 'C', 'D']);
    expect(batches).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('runs a moderator action queued behind a thousand raises right after the batch that is running', async () => {
    const { lanes, log, hold } = recorder();
    let open!: () => void;
    hold(new Promise<void>((r) => (open = r)));
    const raises = Array.from({ length: 1000 }, (_, i) => lanes.audience(ROOM, `h${i}`));
    await Promise.resolve();
    await Promise.resolve();
    const mute = lanes.moderator(ROOM, async () => {
      log.push('mute');
      return 'muted';
    });
    open();
    expect(await mute).toBe('muted');
    // the first batch was already running; the mute came before every later one
    expect(log.slice(0, 2)).toEqual(['batch h0,h1,h2', 'mute']);
    await Promise.all(raises);
    expect(lanes.waiting(ROOM)).toEqual({ moderators: 0, audience: 0 });
  });

  it('keeps moderator actions in arrival order and a failure to the action that failed', async () => {
    const { lanes } = recorder();
    const order: number[] = [];
    const a = lanes.moderator(ROOM, async () => order.push(1));
    const b = lanes.moderator(ROOM, async () => {
      throw new Error('refused');
    });
    const c = lanes.moderator(ROOM, async () => order.push(3));
    await a;
    await expect(b).rejects.toThrow('refused');
    await c;
    expect(order).toEqual([1, 3]);
  });

  it('fails only the audience ask its batch says failed, and rooms do not wait for each other', async () => {
    const { lanes } = recorder();
    const [good, bad, other] = [lanes.audience(ROOM, 'x'), lanes.audience(ROOM, 'bad'), lanes.audience(OTHER, 'y')];
    expect(await good).toBe('X');
    await expect(bad).rejects.toThrow('bad ask');
    expect(await other).toBe('Y');
  });
});
