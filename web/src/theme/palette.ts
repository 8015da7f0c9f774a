/**
 * The colour-blind-safe palette (Okabe & Ito, 2008) used for every series and marker, and the
 * reader of the theme's CSS custom properties that charts need as plain strings.
 */

/** Okabe–Ito colours in the order series take them (black is left out: it vanishes on dark). */
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#999999'] as const;

/** The colour of the i-th series; wraps around after eight. */
export function seriesColor(i: number): string {
  return OKABE_ITO[((i % OKABE_ITO.length) + OKABE_ITO.length) % OKABE_ITO.length] as string;
}

/** Theme colours a chart draws with, read from CSS custom properties. */
export interface ChartTheme {
  readonly fg: string;
  readonly muted: string;
  readonly grid: string;
  readonly panel: string;
  readonly zoneA: string;
  readonly zoneB: string;
  readonly zoneC: string;
  readonly bad: string;
}

/** Reads the current theme as seen from `el` (custom properties cross shadow roots). */
export function chartTheme(el: Element): ChartTheme {
  const s = getComputedStyle(el);
  const v = (name: string, fallback: string): string => s.getPropertyValue(name).trim() || fallback;
  return {
    fg: v('--fg', '#1b1f24'),
    muted: v('--muted', '#5b6470'),
    grid: v('--grid', 'rgba(0,0,0,0.08)'),
    panel: v('--panel', '#ffffff'),
    zoneA: v('--zone-a', 'rgba(213,94,0,0.14)'),
    zoneB: v('--zone-b', 'rgba(230,159,0,0.14)'),
    zoneC: v('--zone-c', 'rgba(0,158,115,0.12)'),
    bad: v('--bad', '#D55E00'),
  };
}

/** The event `theme-toggle` dispatches on `document` after switching, so charts can repaint. */
export const THEME_CHANGE_EVENT = 'sigmascope-theme-change';
