/**
 * The OpenAPI document covers the collector's whole HTTP surface: every route the app registers
 * (walked from hono's own route table, so a route added later fails here until it is documented)
 * has an operation with a summary and a 2xx answer whose schema says what comes back, and every
 * documented operation exists.
 */
import { describe, expect, it } from 'vitest';
import { apiApp } from '../collector/src/api/api-app.ts';
import type { ApiDeps } from '../collector/src/api/api-app.ts';
import { openApiDocument, openApiPath } from '../collector/src/api/openapi.ts';

/** The app with stand-in dependencies: building it registers the routes and calls none of them. */
function registeredRoutes(): Set<string> {
  // Every optional part given, as the collector's main.ts gives them: all its routes exist.
  const app = apiApp({ store: {}, tokens: {}, failures: {}, stats: {}, live: { hub: {} }, connectedAgents: () => new Set(), agentBacklogs: () => new Map(), ready: () => true, webRoot: null, baselines: {}, audit: {}, auditLog: {}, alerting: {}, runs: {}, exports: () => [], incidents: {}, analytics: {} } as unknown as ApiDeps);
  const out = new Set<string>();
  for (const r of app.routes) {
    // Middleware (app.use) registers as method ALL; `POST /api/v1/*` is the admin guard in front of every write.
    if (r.method === 'ALL' || r.path === '/api/v1/*') continue;
    out.add(`${r.method.toLowerCase()} ${openApiPath(r.path)}`);
  }
  return out;
}

interface OperationDoc {
  summary?: string;
  responses?: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
}

describe('the OpenAPI document', () => {
  const doc = openApiDocument() as { paths: Record<string, Record<string, OperationDoc>>; components: { schemas: Record<string, unknown> } };
  const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)));

  it('documents every registered route, and only those', () => {
    const routes = registeredRoutes();
    expect([...routes].filter((r) => !documented.has(r)), 'registered but not in openapi.ts').toEqual([]);
    expect([...documented].filter((r) => !routes.has(r)), 'in openapi.ts but not registered').toEqual([]);
    expect(routes.size).toBeGreaterThan(25);
  });

  it('gives every operation a summary and an answer with a schema of what it returns', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.summary, where).toBeTruthy();
        const ok = Object.entries(op.responses ?? {}).find(([status]) => /^[23]/.test(status));
        expect(ok, `${where}: a 2xx/3xx answer`).toBeDefined();
        if (ok?.[0] === '303') continue; // a redirect has no body
        const schemas = Object.values(ok?.[1].content ?? {}).map((c) => c.schema);
        expect(schemas.length, `${where}: a content type`).toBeGreaterThan(0);
        for (const s of schemas) {
          const described = s !== undefined && ('$ref' in s || 'properties' in s || 'description' in s || s.type === 'string' || 'allOf' in s);
          expect(described, `${where}: the schema says what comes back (${JSON.stringify(s)})`).toBe(true);
        }
      }
    }
  });

  it('resolves every schema reference', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1] as string);
    expect(refs.filter((r) => !(r in doc.components.schemas))).toEqual([]);
  });
});
