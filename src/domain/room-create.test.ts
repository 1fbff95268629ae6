/** @module room-create.test — the first state of a room and the details validators (title, topics, description) shared with updateDetails. For tests only. */
import { describe, expect, it } from 'vitest';
import { asRoomId, asUserId } from './ids.ts';
import { LIMITS } from './limits.ts';
import { createRoomState, validateDetails } from './room-create.ts';
import type { CreateRoomInput } from './room-create.ts';

const HOST = asUserId('h');
const input = (over: Partial<CreateRoomInput> = {}): CreateRoomInput => ({
  id: asRoomId('r'),
  hostId: HOST,
  title: 'Launch night',
  topics: ['Tech'],
  description: 'We talk about the launch.',
  speakerPolicy: 'everyone',
  ...over,
});
const codeOf = (over: Partial<CreateRoomInput>): string => {
  const r = createRoomState(input(over), 1);
  return r.ok ? 'ok' : r.rejection.code;
};

describe('creating a room', () => {
  it('a new room is backstage with the creator as host, alone and muted on the stage, and one audit entry', () => {
    const r = createRoomState(input(), 42);
    if (!r.ok) throw new Error(r.rejection.code);
    expect(r.state).toMatchObject({
      status: 'backstage',
      hostId: HOST,
      createdBy: HOST,
      createdAt: 42,
      liveAt: null,
      endedAt: null,
      endReason: null,
      schedule: null,
      invites: [],
      removed: [],
      pins: [],
    });
    expect(r.state.stage).toEqual([
      {
        userId: HOST,
        role: 'host',
        muted: true,
        mutedBy: 'self',
        onStageSince: 42,
        roleSince: 42,
        // presence is not assumed: the host's control connection reports itself with `connect`
        connected: false,
        disconnectedAt: 42,
      },
    ]);
    expect(r.audit).toEqual([{ actor: HOST, target: null, action: 'room_created', reason: '', at: 42 }]);
  });

  it('details are trimmed and duplicate topics dropped regardless of case, the first spelling kept', () => {
    const r = createRoomState(input({ title: '  Hi  ', topics: [' AI ', 'ai', 'Music'], description: '  d  ' }), 1);
    expect(r.ok && [r.state.title, r.state.topics, r.state.description]).toEqual(['Hi', ['AI', 'Music'], 'd']);
  });

  it('the title must be 1 to 70 characters without control characters', () => {
    expect(codeOf({ title: '' })).toBe('invalid_title');
    expect(codeOf({ title: '   ' })).toBe('invalid_title');
    expect(codeOf({ title: 'x'.repeat(LIMITS.titleMaxChars) })).toBe('ok');
    expect(codeOf({ title: 'x'.repeat(LIMITS.titleMaxChars + 1) })).toBe('invalid_title');
    expect(codeOf({ title: 'two\nlines' })).toBe('invalid_title');
    expect(codeOf({ title: 'bell\u0007' })).toBe('invalid_title');
  });

  it('an emoji counts as one character of the title', () => {
    expect(codeOf({ title: '🔥'.repeat(LIMITS.titleMaxChars) })).toBe('ok');
  });

  it('up to 3 topics of 1 to 30 characters each, counted after duplicates are dropped', () => {
    expect(codeOf({ topics: [] })).toBe('ok');
    expect(codeOf({ topics: ['a', 'b', 'c'] })).toBe('ok');
    expect(codeOf({ topics: ['a', 'b', 'c', 'd'] })).toBe('invalid_topics');
    expect(codeOf({ topics: ['a', 'b', 'c', 'A'] })).toBe('ok');
    expect(codeOf({ topics: ['a', ' '] })).toBe('invalid_topics');
    expect(codeOf({ topics: ['x'.repeat(LIMITS.topicMaxChars)] })).toBe('ok');
    expect(codeOf({ topics: ['x'.repeat(LIMITS.topicMaxChars + 1)] })).toBe('invalid_topics');
    expect(codeOf({ topics: ['tab\there'] })).toBe('invalid_topics');
  });

  it('the description may be empty or up to 280 characters after trimming, and may span lines', () => {
    expect(codeOf({ description: '' })).toBe('ok');
    expect(codeOf({ description: `  ${'x'.repeat(LIMITS.descriptionMaxChars)}  ` })).toBe('ok');
    expect(codeOf({ description: 'x'.repeat(LIMITS.descriptionMaxChars + 1) })).toBe('invalid_description');
    expect(codeOf({ description: 'line one\r\nline two' })).toBe('ok');
    expect(codeOf({ description: 'null\u0000byte' })).toBe('invalid_description');
  });

  it('line endings in a description are normalised to \\n', () => {
    const r = createRoomState(input({ description: 'a\r\nb\rc' }), 1);
    expect(r.ok && r.state.description).toBe('a\nb\nc');
  });

  it('the first bad field is reported in form order: title, topics, description', () => {
    const v = validateDetails({ title: '', topics: ['a', 'b', 'c', 'd'], description: 'x'.repeat(300) });
    expect(v.ok ? 'ok' : v.rejection.code).toBe('invalid_title');
  });

  it('validateDetails leaves out the fields it was not given', () => {
    expect(validateDetails({ description: ' x ' })).toEqual({ ok: true, value: { description: 'x' } });
  });
});
