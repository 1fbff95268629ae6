/**
 * @module use-program-player — a room page's program player for as long as the person is in the
 * audience of that room: picks the worklet player where WebCodecs decodes Opus and AudioWorklet exists,
 * else the <audio> fallback; closes it when they go on stage or leave. Keeps the volume across rooms,
 * publishes the Media Session (room title, host) while it plays, and fills window.__amphiAudio.
 */
import { useEffect, useState } from 'react';
import { useStore, Store } from '../store.ts';
import { hasWebAudioWorklets } from './audio-context.ts';
import { FallbackPlayer } from './fallback-player.ts';
import { setMediaSession } from './media-session.ts';
import { canDecodeOpus } from './opus-frame-decoder.ts';
import type { PlayerPath, PlayerState } from './player-state.ts';
import { ProgramPlayer, type RoomLink } from './program-player.ts';
import type { RoomPlayer } from './room-player.ts';
import { audioHooks } from './test-hooks.ts';

const VOLUME_KEY = 'amphi.volume';
const IDLE = new Store<PlayerState>({ kind: 'idle' });

function savedVolume(): number {
  const v = Number(localStorage.getItem(VOLUME_KEY) ?? '1');
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 1;
}

export interface ProgramAudio {
  /** how it plays: null until the player is chosen */
  readonly path: PlayerPath | null;
  readonly state: PlayerState;
  readonly volume: number;
  readonly play: () => void;
  readonly setVolume: (v: number) => void;
  readonly jumpToLive: () => void;
}

async function openPlayer(roomId: string, link: RoomLink | null): Promise<RoomPlayer & { start(): Promise<void> }> {
  if (hasWebAudioWorklets() && (await canDecodeOpus())) {
    const hooks = audioHooks();
    const p = new ProgramPlayer(
      roomId,
      (r) => {
        hooks.report = r;
      },
      link,
    );
    hooks.snapshot = (ms) => p.snapshot(ms).then((s) => Array.from(s));
    return p;
  }
  return new FallbackPlayer(roomId);
}

/** `link`: where the audio socket's room messages go (the room session; the same object for the page's life) */
export function useProgramPlayer(roomId: string, enabled: boolean, media: { readonly title: string; readonly host: string } | null, link: RoomLink | null = null): ProgramAudio {
  const [player, setPlayer] = useState<RoomPlayer | null>(null);
  const [volume, setVolumeState] = useState(savedVolume);
  const [paused, setPaused] = useState(false);
  const state = useStore(player?.state ?? IDLE);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    let opened: RoomPlayer | null = null;
    void openPlayer(roomId, link).then(async (p) => {
      if (!live) return;
      opened = p;
      audioHooks().path = p.path;
      p.setVolume(savedVolume());
      setPlayer(p);
      try {
        await p.start();
        if (live && p instanceof ProgramPlayer) audioHooks().output = p.outputNode;
      } catch (err) {
        console.error('room audio could not start', err);
      }
    });
    return () => {
      live = false;
      opened?.close();
      const hooks = audioHooks();
      hooks.path = null;
      hooks.snapshot = null;
      hooks.report = null;
      hooks.output = null;
      setPlayer(null);
    };
  }, [roomId, enabled, link]);

  const playing = state.kind === 'playing' && !paused;
  const title = media?.title ?? null;
  const host = media?.host ?? null;
  useEffect(() => {
    if (!player || title === null || host === null) return;
    setMediaSession({
      title,
      host,
      playing,
      onPlay: () => {
        setPaused(false);
        void player.play();
        player.jumpToLive();
      },
      onPause: () => setPaused(true),
    });
  }, [player, title, host, playing]);
  useEffect(() => () => setMediaSession(null), []);

  useEffect(() => {
    player?.setVolume(paused ? 0 : volume);
  }, [player, volume, paused]);

  return {
    path: player?.path ?? null,
    state,
    volume,
    play: () => {
      setPaused(false);
      void player?.play();
    },
    setVolume: (v) => {
      localStorage.setItem(VOLUME_KEY, String(v));
      setVolumeState(v);
    },
    jumpToLive: () => player?.jumpToLive(),
  };
}
