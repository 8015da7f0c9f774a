/**
 * The building blocks of the collector's OpenAPI document (openapi.ts): schema builders and the
 * `Operation` each route file lists for its routes (method, path, role, parameters, body and the
 * schema of its answer). A feature's routes keep their operations beside them (alert-openapi.ts)
 * and openapi.ts joins them into one document.
 */

export type Schema = Record<string, unknown>;

export interface Param {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
  readonly schema?: Schema;
}

/** One operation. `{name}` in the path is a path parameter. */
export interface Operation {
  readonly method: 'get' | 'post' | 'delete';
  readonly path: string;
  readonly summary: string;
  /** `public`: no token; `viewer`: viewer or admin; `admin`. */
  readonly role: 'public' | 'viewer' | 'admin';
  readonly params?: readonly Param[];
  readonly body?: Schema;
  /** Status and content of the answer. */
  readonly status?: number;
  readonly content: Record<string, unknown>;
}

/** An object schema with these properties (all required unless listed in `optional`). */
export const obj = (properties: Record<string, Schema>, optional: readonly string[] = []): Schema => ({ type: 'object', properties, required: Object.keys(properties).filter((k) => !optional.includes(k)) });
export const arr = (items: Schema): Schema => ({ type: 'array', items });
export const str: Schema = { type: 'string' };
export const num: Schema = { type: 'number' };
export const int: Schema = { type: 'integer' };
export const bool: Schema = { type: 'boolean' };
export const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: 'null' }] });
export const labels: Schema = { type: 'object', additionalProperties: { type: 'string' }, description: 'label name → value' };
export const pointPairs: Schema = arr({ type: 'array', prefixItems: [int, num], minItems: 2, maxItems: 2, description: '[ts_ms, value]' });
export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
export const ms: Schema = { type: 'integer', minimum: 0, description: 'milliseconds since the epoch' };
export const json = (schema: Schema): Record<string, unknown> => ({ 'application/json': { schema } });
