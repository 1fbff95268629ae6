import { describe, expect, it } from 'vitest';
import type { NotificationView } from '../../../src/protocol/notify-views.ts';
import { fanoutText, notificationLine, toastFor } from './notice-text.ts';

const ada = { id: 'u1', handle: 'ada', displayName: 'Ada Lovelace' };
const notice = (kind: NotificationView['kind'], actor: typeof ada | null = ada): NotificationView =>
  ({ id: 7, kind, at: 0, read: false, room: { id: 'r-1', title: 'Launch night', status: 'live', startsAt: null }, actor });

describe('notice-text', () => {
  it('a room going live becomes "<host> is live: <title>" with Listen opening the room', () => {
    expect(toastFor(notice('room_live'))).toEqual({ text: 'Ada Lovelace is live: Launch night', action: { label: 'Listen', to: '/rooms/r-1' } });
  });

  it('a cancellation and the host nudge are toasts without a button, and a notice without a room is none', () => {
    expect(toastFor(notice('room_cancelled'))).toEqual({ text: 'Cancelled: Launch night', action: null });
    expect(toastFor(notice('room_starting', null))?.action).toBeNull();
    expect(toastFor({ ...notice('room_live'), room: null })).toBeNull();
  });

  it('names who did it in the bell list', () => {
    expect(notificationLine(notice('room_cancelled'))).toBe('Ada Lovelace cancelled “Launch night”');
    expect(notificationLine(notice('room_starting', null))).toBe('It\'s time to start “Launch night”');
  });

  it('shows a large fan-out in millions while it runs and says when it is done', () => {
    const p = { roomId: 'r-1', kind: 'room_live', phase: 'top', notified: 1_200_000, total: 3_400_000, done: false } as const;
    expect(fanoutText(p)).toBe('Notifying followers… notified 1.2M of 3.4M');
    expect(fanoutText({ ...p, phase: 'done', notified: 3_400_000, done: true })).toBe('Notified 3.4M of 3.4M followers');
    expect(fanoutText({ ...p, kind: 'room_cancelled', notified: 2, total: 2, done: true })).toBe('Notified 2 of 2 reminder holders');
  });
});
