import { LitElement, html, css } from 'lit';
import { panelStyles } from '../theme/panel-styles.ts';
import { listRuns } from './runs-api.ts';
import type { RunListing } from '@sigmascope/protocol/bench-records';

/**
 * `<runs-list>`: the benchmark runs uploaded to this collector, newest first. Each opens its run
 * page; pick a baseline (A) and a candidate (B) to open their comparison.
 */
export class RunsList extends LitElement {
  static override properties = { runs: { state: true }, error: { state: true }, a: { state: true }, b: { state: true } };
  static override styles = [panelStyles, css`
    .pick { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-top: 10px; }
    input[type=radio] { min-height: 0; }
    a.button { padding: 4px 10px; border: 1px solid var(--accent); border-radius: 6px; color: var(--fg); text-decoration: none; }
    a.button[aria-disabled="true"] { opacity: 0.5; pointer-events: none; border-color: var(--border); }
  `];

  declare runs: readonly RunListing[] | null;
  declare error: string | null;
  declare a: string | null;
  declare b: string | null;

  constructor() {
    super();
    this.runs = null;
    this.error = null;
    this.a = null;
    this.b = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    listRuns().then((r) => {
      this.runs = r;
      // The usual question: did the newest run regress against the one before it?
      this.b = r[0]?.id ?? null;
      this.a = r[1]?.id ?? null;
    }, (e: unknown) => (this.error = e instanceof Error ? e.message : String(e)));
  }

  override render() {
    const runs = this.runs;
    const ready = this.a !== null && this.b !== null && this.a !== this.b;
    return html`<section class="panel" aria-label="Benchmark runs">
      <header><h2>Benchmark runs</h2><span class="muted">uploaded with <code>sigmascope bench run SUITE --collector URL</code></span></header>
      ${this.error ? html`<div class="empty" role="alert">${this.error}</div>` : runs === null ? html`<div class="empty">Loading…</div>` : runs.length === 0 ? html`<div class="empty">No runs yet. Run a suite with <code>--collector</code> and an admin token to see it here.</div>` : html`
      <div class="table-wrap"><table>
        <thead><tr><th scope="col">Run</th><th scope="col">Suite</th><th scope="col">Started</th><th scope="col" class="num">Requests</th><th scope="col">By</th><th scope="col">A</th><th scope="col">B</th></tr></thead>
        <tbody>${runs.map((r) => html`<tr>
          <th scope="row"><a href=${`#/runs/${encodeURIComponent(r.id)}`} class="mono">${r.id}</a></th>
          <td>${r.suiteName}</td><td class="mono">${r.startedAt.replace('T', ' ').slice(0, 19)}</td><td class="num mono">${r.requests}</td><td>${r.uploadedBy}</td>
          <td><input type="radio" name="a" aria-label=${`baseline ${r.id}`} .checked=${this.a === r.id} @change=${() => (this.a = r.id)}></td>
          <td><input type="radio" name="b" aria-label=${`candidate ${r.id}`} .checked=${this.b === r.id} @change=${() => (this.b = r.id)}></td>
        </tr>`)}</tbody>
      </table></div>
      <div class="pick"><a class="button" aria-disabled=${ready ? 'false' : 'true'} href=${ready ? `#/runs/compare?a=${encodeURIComponent(this.a as string)}&b=${encodeURIComponent(this.b as string)}` : '#/runs'}>Compare B against A</a>
        <span class="muted">${ready ? `A ${this.a} · B ${this.b}` : 'pick two different runs'}</span></div>`}
    </section>`;
  }
}
customElements.define('runs-list', RunsList);
