/**
 * @module test/support/api-contract.setup — makes the OpenAPI document the contract of the HTTP API.
 * Loaded by vitest before every test file (vitest.config.ts setupFiles): when the file ends, every
 * answer its HTTP helpers recorded is replayed against the document the server serves, built the same
 * way (test/support/openapi-check.ts), and any drift fails the file with one line per answer at fault.
 * Files that make no HTTP call record nothing and pay nothing.
 */
import { afterAll } from 'vitest';
import { recordedResponses } from './api-recorder.ts';

afterAll(async () => {
  const answers = recordedResponses();
  if (answers.length === 0) return;
  const [{ buildOpenApi }, { asOpenApiDocument, checkResponse }] = await Promise.all([import('../../src/transport/openapi.ts'), import('./openapi-check.ts')]);
  const doc = asOpenApiDocument(buildOpenApi('http://127.0.0.1', 'contract'));
  const problems = [...new Set(answers.flatMap((a) => checkResponse(doc, a)))];
  if (problems.length > 0) {
    throw new Error(`${problems.length} answer(s) of the HTTP API differ from the OpenAPI document (src/protocol/api-routes.ts):\n  ${problems.join('\n  ')}`);
  }
});
