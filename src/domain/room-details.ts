/**
 * @module room-details — validation and normalisation of a room's title, topics and description, shared
 * by room creation and `updateDetails` so both accept exactly the same input. Returns values, never
 * throws; never reads anything but its arguments.
 */
import { LIMITS } from './limits.ts';
import { reject } from './rejections.ts';
import type { Rejection } from './rejections.ts';
import type { RoomDetails } from './room-state.ts';

export type Validated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly rejection: Rejection };

/** Control characters (C0, DEL, C1): never part of a title or topic; they break layouts and logs. */
const CONTROL = /\p{Cc}/u;
/** Descriptions may span lines, so newline and tab are the only control characters they keep. */
const CONTROL_EXCEPT_NEWLINE_TAB = /[^\P{Cc}\n\t]/u;

/** Lengths are counted in code points, so an emoji counts as one character as people expect. */
const length = (s: string): number => [...s].length;

export function validateTitle(raw: string): Validated<string> {
  const title = raw.trim();
  if (length(title) < 1 || length(title) > LIMITS.titleMaxChars || CONTROL.test(title)) {
    return {
      ok: false,
      rejection: reject('invalid_title', `The title must be 1 to ${LIMITS.titleMaxChars} characters, on one line.`),
    };
  }
  return { ok: true, value: title };
}

export function validateTopics(raw: readonly string[]): Validated<readonly string[]> {
  const bad = {
    ok: false as const,
    rejection: reject(
      'invalid_topics',
      `Up to ${LIMITS.topics} topics, each 1 to ${LIMITS.topicMaxChars} characters, on one line.`,
    ),
  };
  const topics: string[] = [];
  const seen = new Set<string>();
  for (const r of raw) {
    const topic = r.trim();
    if (length(topic) < 1 || length(topic) > LIMITS.topicMaxChars || CONTROL.test(topic)) return bad;
    // Duplicates are dropped rather than refused: "Music" and "music" are one topic, the first spelling wins.
    const key = topic.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    topics.push(topic);
  }
  if (topics.length > LIMITS.topics) return bad;
  return { ok: true, value: topics };
}

export function validateDescription(raw: string): Validated<string> {
  const description = raw.replace(/\r\n?/g, '\n').trim();
  if (length(description) > LIMITS.descriptionMaxChars || CONTROL_EXCEPT_NEWLINE_TAB.test(description)) {
    return {
      ok: false,
      rejection: reject(
        'invalid_description',
        `The description may have at most ${LIMITS.descriptionMaxChars} characters.`,
      ),
    };
  }
  return { ok: true, value: description };
}

export interface DetailsInput {
  readonly title?: string;
  readonly topics?: readonly string[];
  readonly description?: string;
}

/**
 * Validates the fields present (absent ones stay absent), first failure wins in the order title, topics,
 * description — the order they appear on the form.
 */
export function validateDetails(
  input: DetailsInput,
): Validated<Partial<Pick<RoomDetails, 'title' | 'topics' | 'description'>>> {
  const out: { title?: string; topics?: readonly string[]; description?: string } = {};
  if (input.title !== undefined) {
    const v = validateTitle(input.title);
    if (!v.ok) return v;
    out.title = v.value;
  }
  if (input.topics !== undefined) {
    const v = validateTopics(input.topics);
    if (!v.ok) return v;
    out.topics = v.value;
  }
  if (input.description !== undefined) {
    const v = validateDescription(input.description);
    if (!v.ok) return v;
    out.description = v.value;
  }
  return { ok: true, value: out };
}
