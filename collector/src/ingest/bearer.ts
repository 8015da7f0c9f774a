/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | undefined | null): string | null {
  if (!header) return null;
  const m = /^Bearer\s+([A-Za-z0-9_.~+/=-]{1,512})\s*$/i.exec(header);
  return m ? (m[1] as string) : null;
}
