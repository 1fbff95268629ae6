/**
 * @module test/support/json-schema-check — checks a JSON value against a JSON Schema (2020-12, the
 * dialect of OpenAPI 3.1) as zod writes them: type, properties/required/additionalProperties, items,
 * enum/const, anyOf/oneOf/allOf, string and number bounds, pattern, local $ref. A keyword it does not
 * know is reported as a problem, never skipped, so a schema it cannot judge can never pass unread.
 * Returns the problems found (empty: valid); never throws on bad data.
 */

type Schema = Record<string, unknown>;

/** keywords that describe without constraining (annotations) */
const ANNOTATIONS = new Set(['description', 'title', 'default', 'examples', 'format', '$schema', '$id', '$comment', 'deprecated', 'readOnly', 'writeOnly', '$defs', 'definitions']);

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return typeOf(value) === type;
  }
}

const isSchema = (v: unknown): v is Schema => v !== null && typeof v === 'object' && !Array.isArray(v);

export function checkJsonSchema(schema: unknown, value: unknown, root: unknown = schema, at = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${at}: no value is allowed here`];
  if (!isSchema(schema)) return [`${at}: the schema is not an object (${JSON.stringify(schema)})`];
  const problems: string[] = [];
  const sub = (s: unknown, v: unknown, path: string) => checkJsonSchema(s, v, root, path);
  for (const [key, rule] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    switch (key) {
      case '$ref': {
        const target = typeof rule === 'string' && rule.startsWith('#') ? resolve(root, rule) : undefined;
        if (target === undefined) problems.push(`${at}: cannot resolve $ref ${String(rule)}`);
        else problems.push(...sub(target, value, at));
        break;
      }
      case 'type': {
        const types = Array.isArray(rule) ? (rule as string[]) : [rule as string];
        if (!types.some((t) => hasType(value, t))) problems.push(`${at}: expected ${types.join(' or ')}, got ${typeOf(value)} ${JSON.stringify(value)?.slice(0, 80)}`);
        break;
      }
      case 'enum':
        if (!(rule as unknown[]).some((e) => Object.is(e, value))) problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(rule)}`);
        break;
      case 'const':
        if (!Object.is(rule, value)) problems.push(`${at}: expected ${JSON.stringify(rule)}, got ${JSON.stringify(value)}`);
        break;
      case 'properties':
        if (hasType(value, 'object')) {
          const obj = value as Record<string, unknown>;
          for (const [name, s] of Object.entries(rule as Record<string, unknown>)) if (name in obj) problems.push(...sub(s, obj[name], `${at}.${name}`));
        }
        break;
      case 'required':
        if (hasType(value, 'object')) for (const name of rule as string[]) if (!(name in (value as object))) problems.push(`${at}.${name}: missing (required)`);
        break;
      case 'additionalProperties':
        if (hasType(value, 'object')) {
          const declared = new Set(Object.keys((schema['properties'] as Record<string, unknown> | undefined) ?? {}));
          for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
            if (declared.has(name)) continue;
            if (rule === false) problems.push(`${at}.${name}: not declared in the schema`);
            else problems.push(...sub(rule, v, `${at}.${name}`));
          }
        }
        break;
      case 'items':
        if (Array.isArray(value)) value.forEach((v, i) => problems.push(...sub(rule, v, `${at}[${i}]`)));
        break;
      case 'minItems':
      case 'maxItems':
        if (Array.isArray(value) && (key === 'minItems' ? value.length < (rule as number) : value.length > (rule as number))) problems.push(`${at}: ${value.length} items breaks ${key} ${String(rule)}`);
        break;
      case 'anyOf':
      case 'oneOf': {
        const matching = (rule as unknown[]).filter((s) => sub(s, value, at).length === 0).length;
        if (matching === 0) problems.push(`${at}: matches none of the ${key} alternatives: ${JSON.stringify(value)?.slice(0, 120)}`);
        else if (key === 'oneOf' && matching > 1) problems.push(`${at}: matches ${matching} oneOf alternatives, not exactly one`);
        break;
      }
      case 'allOf':
        for (const s of rule as unknown[]) problems.push(...sub(s, value, at));
        break;
      case 'minLength':
      case 'maxLength':
        if (typeof value === 'string') {
          const length = [...value].length;
          if (key === 'minLength' ? length < (rule as number) : length > (rule as number)) problems.push(`${at}: length ${length} breaks ${key} ${String(rule)}`);
        }
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(rule as string, 'u').test(value)) problems.push(`${at}: ${JSON.stringify(value)} does not match ${String(rule)}`);
        break;
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        if (typeof value === 'number' && !withinBound(key, rule as number, value)) problems.push(`${at}: ${value} breaks ${key} ${String(rule)}`);
        break;
      default:
        problems.push(`${at}: the checker does not know the keyword "${key}"`);
    }
  }
  return problems;
}

function withinBound(key: string, bound: number, value: number): boolean {
  if (key === 'minimum') return value >= bound;
  if (key === 'maximum') return value <= bound;
  if (key === 'exclusiveMinimum') return value > bound;
  return value < bound;
}

function resolve(root: unknown, ref: string): unknown {
  return ref
    .replace(/^#\/?/, '')
    .split('/')
    .filter((p) => p !== '')
    .map((p) => decodeURIComponent(p).replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (isSchema(node) ? node[key] : undefined), root);
}
