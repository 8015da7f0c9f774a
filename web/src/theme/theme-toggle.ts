/**
 * `<theme-toggle>`: a button switching between light and dark. The choice is stored in
 * localStorage and applied as `data-theme` on <html>; without a stored choice the system
 * preference decides. Dispatches THEME_CHANGE_EVENT on `document` after each switch.
 */
import { LitElement, css, html } from 'lit';
import { THEME_CHANGE_EVENT } from './palette.ts';

const KEY = 'sigmascope.theme';

/** The theme in effect: the stored choice, else the system preference. */
export function currentTheme(): 'light' | 'dark' {
  const set = document.documentElement.dataset.theme;
  if (set === 'light' || set === 'dark') return set;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Applies the stored theme, if any; called once by each page's entry before first render. */
export function applyStoredTheme(): void {
  try {
    const stored = localStorage.getItem(KEY);
    if (stored === 'light' || stored === 'dark') document.documentElement.dataset.theme = stored;
  } catch {
    // Storage may be disabled; the system preference applies.
  }
}

/** Light/dark switch. No properties; renders one button. */
export class ThemeToggle extends LitElement {
  static override styles = css`
    button { font: inherit; color: var(--fg); background: transparent; border: 1px solid var(--border); border-radius: 6px; padding: 4px 10px; cursor: pointer; min-height: 32px; }
  `;

  override render() {
    const next = currentTheme() === 'dark' ? 'light' : 'dark';
    return html`<button type="button" aria-label="Switch to ${next} theme" @click=${this.toggle}>${next === 'dark' ? '☾ Dark' : '☀ Light'}</button>`;
  }

  private toggle(): void {
    const next = currentTheme() === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    try { localStorage.setItem(KEY, next); } catch { /* not persisted */ }
    document.dispatchEvent(new CustomEvent(THEME_CHANGE_EVENT));
    this.requestUpdate();
  }
}
customElements.define('theme-toggle', ThemeToggle);
