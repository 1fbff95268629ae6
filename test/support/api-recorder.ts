/**
 * @module test/support/api-recorder — the answers of Amphi's HTTP API that a test file received, kept
 * so that test/support/api-contract.setup.ts can replay each one against the OpenAPI document when the
 * file ends. The test HTTP helpers (ApiClient, the listen-ticket and event-stream clients, the walk's
 * proxy) record; tests never read this directly. One list per test file (vitest isolates files).
 */

export interface RecordedResponse {
  readonly method: string;
  /** the request path without its query */
  readonly path: string;
  readonly status: number;
  readonly contentType: string | null;
  /** the body as text; null when the client did not read it (an event stream left open) */
  readonly body: string | null;
}

const recorded: RecordedResponse[] = [];

export function recordResponse(method: string, url: string, status: number, contentType: string | null, body: string | null): void {
  recorded.push({ method: method.toUpperCase(), path: new URL(url, 'http://recorded.invalid').pathname, status, contentType, body });
}

/** everything recorded in this test file so far */
export const recordedResponses = (): readonly RecordedResponse[] => recorded;
