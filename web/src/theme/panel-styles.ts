/**
 * The look every component shares inside its shadow root: panels, headers, tables, buttons,
 * status dots. Colours come from the theme's custom properties (theme.css).
 */
import { css } from 'lit';

/** Styles for a component that renders one or more panels. */
export const panelStyles = css`
  :host { display: block; color: var(--fg); font: inherit; }
  .panel { background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 12px; min-width: 0; }
  header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px 12px; margin-bottom: 8px; }
  h2, h3 { font-size: 15px; margin: 0; font-weight: 600; }
  .muted { color: var(--muted); }
  .spacer { flex: 1; }
  .mono { font-family: var(--mono); font-variant-numeric: tabular-nums; }
  button, select, input { font: inherit; color: var(--fg); background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 3px 9px; min-height: 30px; }
  button { cursor: pointer; }
  button:hover { border-color: var(--accent); }
  button[aria-pressed="true"] { background: var(--accent); color: var(--panel); border-color: var(--accent); }
  :focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
  .table-wrap { overflow-x: auto; position: relative; }
  table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--border); white-space: nowrap; }
  th { color: var(--muted); font-weight: 600; font-size: 12px; }
  td.num, th.num { text-align: right; }
  tbody tr:hover { background: var(--grid); }
  .dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px; vertical-align: middle; }
  .ok { background: var(--ok); }
  .warn { background: var(--warn); }
  .bad { background: var(--bad); }
  .empty { color: var(--muted); padding: 12px 0; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
