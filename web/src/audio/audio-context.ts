/**
 * @module audio-context — the one AudioContext of the whole visit. Browsers refuse sound until a person
 * taps, and count each new context against that rule, so Amphi makes exactly one, at 48 kHz (the Opus
 * rate: no resampling), resumes it on the first tap or key anywhere on the page and reuses it for every
 * room, the stage's voices and the microphone meter. Its running/suspended state is a store views read
 * to show "Tap to listen". Never closes the context: a new one would need a new tap.
 */
import { Store } from '../store.ts';
import { audioHooks } from './test-hooks.ts';

export type AudioUnlock = 'locked' | 'running';

let context: AudioContext | null = null;
export const audioUnlock = new Store<AudioUnlock>('locked');

/** the visit's AudioContext, made on first use (it may start suspended until a tap) */
export function sharedAudioContext(): AudioContext {
  if (context) return context;
  const ctx = new AudioContext({ sampleRate: 48_000, latencyHint: 'interactive' });
  context = ctx;
  audioHooks().context = ctx;
  const sync = () => audioUnlock.set(ctx.state === 'running' ? 'running' : 'locked');
  ctx.addEventListener('statechange', sync);
  sync();
  return ctx;
}

/** true when this browser can make an AudioContext with worklets (the decoder path needs both) */
export function hasWebAudioWorklets(): boolean {
  return typeof AudioContext === 'function' && typeof AudioWorkletNode === 'function' && 'audioWorklet' in AudioContext.prototype;
}

/**
 * tries to start sound; resolves true when the context runs. Call it from a tap to be sure; called
 * without one it succeeds only where the browser allows autoplay.
 */
export async function resumeAudio(): Promise<boolean> {
  if (!hasWebAudioWorklets()) return false;
  const ctx = sharedAudioContext();
  if (ctx.state === 'running') return true;
  try {
    // resume() never settles in some browsers when refused; a short race keeps the caller moving
    await Promise.race([ctx.resume(), new Promise((r) => setTimeout(r, 500))]);
  } catch (err) {
    console.warn('the browser refused to start audio', err);
  }
  return (ctx.state as AudioContextState) === 'running';
}

let installed = false;

/** the first tap or key anywhere unlocks audio for the rest of the visit; a hidden tab retries when shown */
export function installAudioUnlock(): void {
  if (installed || typeof window === 'undefined') return;
  installed = true;
  const onGesture = () => {
    void resumeAudio().then((ok) => {
      if (!ok) return;
      for (const t of GESTURES) window.removeEventListener(t, onGesture, true);
    });
  };
  for (const t of GESTURES) window.addEventListener(t, onGesture, true);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && context && context.state !== 'running') void resumeAudio();
  });
}

const GESTURES = ['pointerdown', 'keydown', 'touchend', 'click'] as const;
