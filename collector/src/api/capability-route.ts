/**
 * `GET /api/v1/slo/report[?day=YYYY-MM-DD|today][&format=json|csv|html]` (viewer): the
 * capability report of one UTC day (default: yesterday) against the configured SLOs.
 */
import type { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { capabilityReport, utcDay } from '../slo/capability-report.ts';
import { reportCsv, reportHtml } from '../slo/report-formats.ts';
import type { SloConfig } from '../slo/slo-config.ts';
import type { Store } from '../store/store.ts';
import { badParam } from './api-error.ts';

export function registerCapabilityRoute(app: Hono<{ Bindings: HttpBindings }>, store: Store, slos: readonly SloConfig[]): void {
  app.get('/api/v1/slo/report', (c) => {
    const q = c.req.query();
    const now = Date.now();
    const day = q.day === undefined ? utcDay(now - 86_400_000) : q.day === 'today' ? utcDay(now) : q.day;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)) || utcDay(Date.parse(`${day}T00:00:00Z`)) !== day) throw badParam('day', q.day, 'a UTC day as YYYY-MM-DD, or today');
    const format = q.format ?? 'json';
    if (format !== 'json' && format !== 'csv' && format !== 'html') throw badParam('format', format, 'json, csv or html');
    const hosts = new Map(store.agents().map((a) => [a.id, a.hostname || a.name || a.id]));
    const report = capabilityReport(store, (id) => hosts.get(id) ?? id, slos, day, now);
    if (format === 'csv') return c.body(reportCsv(report), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="capability-${day}.csv"` });
    if (format === 'html') return c.html(reportHtml(report));
    return c.json(report);
  });
}
