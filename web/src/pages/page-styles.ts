/**
 * The layout both pages share: a top bar that wraps on phones, a main column of panels, and a
 * two-column chart grid from tablet width up.
 */
import { css } from 'lit';

/** Styles of a page element's shadow root. */
export const pageStyles = css`
  :host { display: block; min-height: 100vh; }
  .top { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; align-items: center; gap: 8px 14px; padding: 8px 14px; background: var(--panel); border-bottom: 1px solid var(--border); }
  .brand { font-weight: 700; font-size: 16px; letter-spacing: 0.2px; color: var(--fg); text-decoration: none; }
  nav { display: flex; gap: 4px; flex-wrap: wrap; }
  nav a { padding: 4px 10px; border-radius: 6px; color: var(--fg); text-decoration: none; }
  nav a[aria-current="page"] { background: var(--grid); font-weight: 600; }
  .spacer { flex: 1; }
  .feed { font-size: 12px; color: var(--muted); white-space: nowrap; }
  .dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 5px; vertical-align: middle; }
  .ok { background: var(--ok); } .warn { background: var(--warn); } .bad { background: var(--bad); }
  main { display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; padding: 12px; max-width: 2400px; margin: 0 auto; }
  main > *, .charts > * { min-width: 0; }
  .charts { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 460px), 1fr)); }
  @media (max-width: 480px) { main { padding: 8px; gap: 8px; } .top { padding: 6px 8px; } }
  .banner { padding: 8px 12px; border-radius: 8px; border: 1px solid var(--bad); color: var(--fg); background: var(--panel); }
  .crumbs { display: flex; flex-wrap: wrap; gap: 6px; align-items: baseline; }
  .crumbs h1 { font-size: 18px; margin: 0; }
  .panel { background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 12px; }
  .panel h2 { font-size: 15px; margin: 0 0 8px; }
  .metrics ul { margin: 0; padding-left: 18px; display: grid; gap: 4px; overflow-wrap: anywhere; }
  .metrics a { margin-right: 8px; }
  .muted { color: var(--muted); }
  a { color: var(--accent); }
  :focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
  .skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; z-index: 3; background: var(--panel); padding: 6px; }
`;
