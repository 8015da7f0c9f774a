/**
 * A dataset record's expectation on the completion: `equals` (after trimming surrounding
 * whitespace on both sides), `contains`, `regex` (JavaScript syntax, compiled once, a bad pattern
 * is a config error) or `json_schema` (the completion parsed as JSON, validated with Ajv; a
 * completion wrapped in a ``` fence is unwrapped first). Compiled when the suite is read, so a bad
 * expectation fails before the run.
 */
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import { ConfigError } from '@sigmascope/protocol/config-error';
import { section, stringValue } from '@sigmascope/protocol/config-fields';
import type { Expectation } from '../suite/suite.ts';

/** The outcome of one check, as requests.jsonl records it. */
export interface CheckResult {
  readonly kind: 'equals' | 'contains' | 'regex' | 'json_schema';
  readonly pass: boolean;
  /** Why it failed, short; never the completion text. */
  readonly reason?: string;
}

export interface CompiledExpectation {
  readonly expectation: Expectation;
  check(completion: string): CheckResult;
}

const ajv = new Ajv({ allErrors: false, strict: false });
function unfence(text: string): string {
  const m = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/.exec(text);
  return m ? (m[1] as string) : text;
}

/** Validates one `expect` value and returns its checker. Throws ConfigError naming `where`. */
export function compileExpectation(raw: unknown, where: string): CompiledExpectation {
  const s = section(raw, where, ['equals', 'contains', 'regex', 'json_schema']);
  const kinds = Object.keys(s);
  if (kinds.length !== 1) throw new ConfigError(where, 'needs exactly one of equals, contains, regex, json_schema');
  if (s.equals !== undefined) {
    if (typeof s.equals !== 'string') throw new ConfigError(`${where}.equals`, `${JSON.stringify(s.equals)} is not a string`);
    const want = s.equals.trim();
    return { expectation: { equals: s.equals }, check: (c) => (c.trim() === want ? { kind: 'equals', pass: true } : { kind: 'equals', pass: false, reason: 'not equal' }) };
  }
  if (s.contains !== undefined) {
    const want = stringValue(s.contains, `${where}.contains`);
    return { expectation: { contains: want }, check: (c) => (c.includes(want) ? { kind: 'contains', pass: true } : { kind: 'contains', pass: false, reason: 'not found' }) };
  }
  if (s.regex !== undefined) {
    const pattern = stringValue(s.regex, `${where}.regex`);
    let re: RegExp;
    try {
      re = new RegExp(pattern, 'u');
    } catch (err) {
      throw new ConfigError(`${where}.regex`, `${JSON.stringify(pattern)} is not a valid regular expression (${(err as Error).message})`);
    }
    return { expectation: { regex: pattern }, check: (c) => (re.test(c) ? { kind: 'regex', pass: true } : { kind: 'regex', pass: false, reason: 'no match' }) };
  }
  const schema = s.json_schema;
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) throw new ConfigError(`${where}.json_schema`, 'must be a JSON Schema object');
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (err) {
    throw new ConfigError(`${where}.json_schema`, `not a valid JSON Schema (${(err as Error).message})`);
  }
  return {
    expectation: { json_schema: schema as Record<string, unknown> },
    check(c) {
      let value: unknown;
      try {
        value = JSON.parse(unfence(c));
      } catch {
        return { kind: 'json_schema', pass: false, reason: 'not JSON' };
      }
      if (validate(value)) return { kind: 'json_schema', pass: true };
      const e = validate.errors?.[0];
      return { kind: 'json_schema', pass: false, reason: `${e?.instancePath || '/'} ${e?.message ?? 'invalid'}`.slice(0, 200) };
    },
  };
}
