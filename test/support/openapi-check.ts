/**
 * @module test/support/openapi-check — judges one recorded answer against the OpenAPI document, as a
 * client generated from the document would expect it: the status is declared for that path and method,
 * the Content-Type is the declared media type (none for an answer without content), the body is valid
 * against the declared schema, and an error's code is one the document lists under that status.
 * Requests that match no operation of the document (unknown paths, /healthz, the document itself) are
 * not the document's business and are left out. Returns problems as sentences; empty means conforming.
 */
import { checkJsonSchema } from './json-schema-check.ts';
import type { RecordedResponse } from './api-recorder.ts';

interface MediaType {
  readonly schema?: unknown;
}
interface ResponseSpec {
  readonly description: string;
  readonly content?: Readonly<Record<string, MediaType>>;
}
interface OperationSpec {
  readonly responses: Readonly<Record<string, ResponseSpec>>;
}
export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, OperationSpec>>>>;
}

interface Template {
  readonly template: string;
  readonly re: RegExp;
  /** literal segments win over parameters when two templates match (none do today) */
  readonly params: number;
}

/** the generated document (untyped JSON) as the few fields this check reads; throws if it has none */
export function asOpenApiDocument(json: Readonly<Record<string, unknown>>): OpenApiDocument {
  const paths = json['paths'];
  if (paths === null || typeof paths !== 'object') throw new Error('not an OpenAPI document: no paths');
  return { paths: paths as OpenApiDocument['paths'] };
}

const templatesOf = (doc: OpenApiDocument): Template[] =>
  Object.keys(doc.paths)
    .map((template) => ({
      template,
      re: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`),
      params: (template.match(/\{\w+\}/g) ?? []).length,
    }))
    .sort((a, b) => a.params - b.params);

/** the operation a request reached, or null when the document has none for it */
export function operationFor(doc: OpenApiDocument, method: string, path: string): { template: string; op: OperationSpec } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    decoded = path;
  }
  for (const t of templatesOf(doc)) {
    if (!t.re.test(path) && !t.re.test(decoded)) continue;
    const op = doc.paths[t.template]?.[method.toLowerCase()];
    if (op) return { template: t.template, op };
  }
  return null;
}

const mediaTypeOf = (contentType: string | null): string | null => contentType?.split(';')[0]?.trim().toLowerCase() || null;

/** the error codes a response description lists: "error: room_not_found, not_found" */
const listedCodes = (description: string): string[] => (/^error: (.*)$/.exec(description)?.[1] ?? '').split(/,\s*/).filter((c) => c !== '');

export function checkResponse(doc: OpenApiDocument, r: RecordedResponse): string[] {
  const found = operationFor(doc, r.method, r.path);
  if (!found) return [];
  const where = `${r.method} ${found.template} → ${r.status}`;
  const spec = found.op.responses[String(r.status)];
  if (!spec) return [`${where}: status ${r.status} is not declared (declared: ${Object.keys(found.op.responses).join(', ')})`];
  const media = mediaTypeOf(r.contentType);
  if (!spec.content) {
    const problems: string[] = [];
    if (media !== null) problems.push(`${where}: declared without content, but answered Content-Type ${r.contentType}`);
    if (r.body !== null && r.body !== '') problems.push(`${where}: declared without content, but answered a body: ${r.body.slice(0, 120)}`);
    return problems;
  }
  const declared = media === null ? undefined : spec.content[media];
  if (!declared) return [`${where}: Content-Type ${r.contentType ?? '(none)'} is not a declared media type (${Object.keys(spec.content).join(', ')})`];
  if (r.body === null || media !== 'application/json') return [];
  let body: unknown;
  try {
    body = JSON.parse(r.body);
  } catch {
    return [`${where}: declared JSON, but the body is not JSON: ${r.body.slice(0, 120)}`];
  }
  const problems = checkJsonSchema(declared.schema ?? true, body).map((p) => `${where}: ${p}`);
  if (r.status >= 400) {
    const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
    const codes = listedCodes(spec.description);
    if (typeof code !== 'string' || !codes.includes(code)) problems.push(`${where}: error code ${JSON.stringify(code)} is not listed for this status (listed: ${codes.join(', ')})`);
  }
  return problems;
}
