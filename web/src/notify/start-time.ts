/**
 * @module start-time — a scheduled room's start time between the three forms it takes: ms since the
 * epoch (what the server stores), the value of an <input type="datetime-local"> (the viewer's own wall
 * clock), and a sentence for people ("Tue, Nov 24, 6:30 PM GMT+1") always in the viewer's time zone.
 * Pure apart from the browser's own time zone, which the functions take as an argument where it matters.
 */

/** the viewer's IANA time zone, as the server wants it beside startsAt */
export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** ms → "YYYY-MM-DDTHH:mm" on the local wall clock, for a datetime-local input */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** a datetime-local value (local wall clock) → ms, or null when it is not a whole date and time */
export function fromLocalInput(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi);
  // a day like Feb 31 rolls over in Date: refuse it rather than schedule a surprise
  if (date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  return date.getTime();
}

/** the start time as a person reads it, in the given (default: the viewer's) time zone, with its name */
export function formatStart(ms: number, opts: { timeZone?: string; locale?: string } = {}): string {
  return new Intl.DateTimeFormat(opts.locale, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
    ...(opts.timeZone !== undefined && { timeZone: opts.timeZone }),
  }).format(new Date(ms));
}

/** the default for a new schedule: the next whole hour at least 30 minutes away */
export function suggestedStart(now: number): number {
  const d = new Date(now + 30 * 60_000);
  d.setMinutes(0, 0, 0);
  return d.getTime() + 3_600_000;
}
