/**
 * A GET of the pages' JSON API: the body, or the message to show when it failed (an HTTP status
 * with the API's own error message when it gave one, a network error), so each data owner records
 * one error line and keeps what it had.
 */

/** The outcome of one GET; `status` is null when no answer came. */
export type Fetched<T> = { readonly ok: true; readonly body: T } | { readonly ok: false; readonly status: number | null; readonly message: string };

/** GETs `url` as JSON; `explain` may name what a status means to the user (null: the API's message, else "HTTP <status>"). */
export async function fetchJson<T>(url: string, explain: (status: number) => string | null = () => null): Promise<Fetched<T>> {
  const where = url.split('?')[0];
  try {
    const res = await fetch(url, { headers: { accept: 'application/json' } });
    if (!res.ok) {
      const detail = await res.json().then((b: { error?: { message?: string } }) => b.error?.message, () => undefined);
      return { ok: false, status: res.status, message: `${where}: ${explain(res.status) ?? detail ?? `HTTP ${res.status}`}` };
    }
    return { ok: true, body: (await res.json()) as T };
  } catch (e) {
    return { ok: false, status: null, message: `${where}: ${e instanceof Error ? e.message : String(e)}` };
  }
}
