/**
 * How an incident's cause and state look wherever they appear: a coloured badge per cause
 * (palette colours, with the word, never colour alone) and a class per state.
 */
import { css, html } from 'lit';
import type { TemplateResult } from 'lit';
import type { IncidentCause, IncidentState } from '@sigmascope/protocol/incident';
import { OKABE_ITO } from '../theme/palette.ts';

const CAUSE_COLOR: Record<IncidentCause, string> = { provider: OKABE_ITO[0], host: OKABE_ITO[1], network: OKABE_ITO[3], unknown: OKABE_ITO[7] };
const CAUSE_TEXT: Record<IncidentCause, string> = { provider: 'provider', host: 'host', network: 'network', unknown: 'unknown' };

/** The badge of a cause. */
export function causeBadge(cause: IncidentCause): TemplateResult {
  return html`<span class="cause" style="--cause:${CAUSE_COLOR[cause]}">${CAUSE_TEXT[cause]}</span>`;
}

/** The state, styled. */
export function stateText(state: IncidentState): TemplateResult {
  return html`<span class="state state-${state}">${state}</span>`;
}

/** Styles for the two above. */
export const badgeStyles = css`
  .cause { display: inline-block; padding: 1px 8px; border-radius: 10px; border: 1px solid var(--cause); color: var(--fg); font-size: 12px; font-weight: 600; }
  .cause::before { content: ''; display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: var(--cause); margin-right: 5px; vertical-align: 0; }
  .state-open { color: var(--bad); font-weight: 600; }
  .state-acknowledged { color: var(--warn); font-weight: 600; }
  .state-resolved { color: var(--muted); }
`;
