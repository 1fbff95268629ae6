/**
 * @module media-session — tells the operating system what is playing (room title, host, "Amphi"), so
 * the lock screen and the notification shade show the room and a hidden tab keeps playing as media,
 * and maps their play/pause buttons onto the player. Does nothing where the Media Session API is missing.
 */

export interface MediaSessionInfo {
  readonly title: string;
  readonly host: string;
  readonly playing: boolean;
  readonly onPlay: () => void;
  readonly onPause: () => void;
}

export function setMediaSession(info: MediaSessionInfo | null): void {
  if (!('mediaSession' in navigator) || typeof MediaMetadata !== 'function') return;
  const ms = navigator.mediaSession;
  if (info === null) {
    ms.metadata = null;
    ms.playbackState = 'none';
    ms.setActionHandler('play', null);
    ms.setActionHandler('pause', null);
    return;
  }
  ms.metadata = new MediaMetadata({ title: info.title, artist: info.host, album: 'Amphi live room' });
  ms.playbackState = info.playing ? 'playing' : 'paused';
  ms.setActionHandler('play', info.onPlay);
  ms.setActionHandler('pause', info.onPause);
}
