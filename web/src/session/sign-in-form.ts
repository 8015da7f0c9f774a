import { LitElement, html, css } from 'lit';
import { panelStyles } from '../theme/panel-styles.ts';

/**
 * `<sign-in-form>`: what the dashboard shows instead of its views when the collector does not
 * know the browser (no session, or a token that was revoked): a field for a viewer or admin
 * token, sent once with POST /login (never in a URL, so it stays out of history and logs), which
 * sets the session cookie; the page then reloads signed in. Says how to get a token.
 *
 * @fires signed-in - after the collector accepted the token (the page reloads its data)
 */
export class SignInForm extends LitElement {
  static override properties = { message: { state: true }, busy: { state: true } };
  static override styles = [panelStyles, css`
    :host { display: block; max-width: 560px; margin: 8vh auto 0; }
    form { display: grid; gap: 10px; }
    input { font-family: var(--mono); width: 100%; box-sizing: border-box; }
    code { font-family: var(--mono); font-size: 12px; overflow-wrap: anywhere; }
    .err { color: var(--bad); }
    p { margin: 0; }
  `];

  declare message: string;
  declare busy: boolean;

  constructor() {
    super();
    this.message = '';
    this.busy = false;
  }

  override render() {
    return html`<section class="panel" aria-label="Sign in">
      <h2>Sign in to this collector</h2>
      <form @submit=${this.submit}>
        <label for="token">Viewer or admin token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required minlength="16" placeholder="sgs_v_…" ?disabled=${this.busy}>
        <button type="submit" ?disabled=${this.busy}>Sign in</button>
        ${this.message ? html`<p class="err" role="alert">${this.message}</p>` : null}
      </form>
      <p class="muted">On the collector's host, <code>sigmascope token create NAME --role viewer</code> prints a token
        (<code>--role admin</code> may also acknowledge violations). With <code>sigmascope start</code>, open the link it printed.</p>
    </section>`;
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#token');
    const token = input?.value.trim() ?? '';
    this.busy = true;
    try {
      const res = await fetch('/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        this.message = body?.error?.message ?? `the collector answered ${res.status}`;
        return;
      }
      if (input) input.value = '';
      this.message = '';
      this.dispatchEvent(new CustomEvent('signed-in', { bubbles: true, composed: true }));
    } catch (err) {
      this.message = `the collector did not answer: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      this.busy = false;
    }
  }
}
customElements.define('sign-in-form', SignInForm);
