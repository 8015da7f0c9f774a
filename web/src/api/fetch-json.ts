/**
 * A GET of the pages' JSON API: the body, or the message to show when it failed (an HTTP status,
 * a network error), so each data owner records one error line and keeps what it had.
 */

/** The outcome of one GET. */
export type Fetched<T> = { readonly ok: true; readonly body: T } | { readonly ok: false; readonly message: string };

/** GETs `url` as JSON; `explain` may name what a status means to the user (null: "HTTP <status>"). */
export async function fetchJson<T>(url: string, explain: (status: number) => string | null = () => null): Promise<Fetched<T>> {
  try {
    const res = await fetch(url, { headers: { accept: 'application/json' } });
    if (!res.ok) return { ok: false, message: `${url.split('?')[0]}: ${explain(res.status) ?? `HTTP ${res.status}`}` };
    return { ok: true, body: (await res.json()) as T };
  } catch (e) {
    return { ok: false, message: `${url.split('?')[0]}: ${e instanceof Error ? e.message : String(e)}` };
  }
}
