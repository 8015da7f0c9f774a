/**
 * The dashboard's incidents places: `#/incidents` (the list) and `#/incidents/ID` (one incident
 * with its evidence on one time axis). Template functions reading an IncidentsController: no
 * state of their own.
 */
import { html } from 'lit';
import type { TemplateResult } from 'lit';
import { OKABE_ITO } from '../theme/palette.ts';
import type { IncidentsController } from './incidents-controller.ts';
import { incidentBounds, incidentMarkers, incidentPanels, panelSeries } from './incident-panels.ts';
import './incidents-list.ts';
import './incident-detail.ts';

const MARKER_COLORS = { onset: OKABE_ITO[5], opened: OKABE_ITO[0], resolved: OKABE_ITO[2] };

/** The list of incidents. */
export function incidentsListView(c: IncidentsController, all: boolean, hostNames: ReadonlyMap<string, string>, now: number): TemplateResult {
  return html`<incidents-list .incidents=${c.incidents} .hostNames=${hostNames} .all=${all} .loaded=${c.listed} .now=${now}></incidents-list>`;
}

/** One incident: what it is, its panels on one time axis, its evidence; acknowledge/resolve for admins. */
export function incidentView(c: IncidentsController, hostNames: ReadonlyMap<string, string>, editable: boolean, now: number): TemplateResult {
  const i = c.incident;
  const name = (a: string): string => hostNames.get(a) ?? a;
  const panels = i === null ? [] : incidentPanels(i, name).map((p) => ({ id: p.id, heading: p.heading, series: panelSeries(p, c.series, hostNames) }));
  return html`<incident-detail .incident=${i} .panels=${panels} .bounds=${i === null ? null : incidentBounds(i, now)}
    .markers=${i === null ? [] : incidentMarkers(i, MARKER_COLORS)} .hostNames=${hostNames} .editable=${editable} .busy=${c.busy} .now=${now}
    @incident-state=${(e: CustomEvent<{ id: string; state: 'acknowledged' | 'resolved'; note: string }>) => void c.setState(e.detail.id, e.detail.state, e.detail.note)}></incident-detail>`;
}
