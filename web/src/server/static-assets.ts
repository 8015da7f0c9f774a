/**
 * Serves the built web bundle (dist/web) from both servers: `/` → the page, `/assets/*` → files.
 * Paths are resolved inside the bundle folder only; anything else is a 404.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'hono';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.json': 'application/json', '.txt': 'text/plain; charset=utf-8',
};

/** Finds dist/web from the running code (dist/cli.js or dist/chunks/*.js); null when not built. */
export function findWebRoot(from: string = fileURLToPath(import.meta.url)): string | null {
  let dir = dirname(from);
  for (let i = 0; i < 5; i++) {
    for (const candidate of [join(dir, 'web'), join(dir, 'dist', 'web')]) if (existsSync(join(candidate, 'index.html'))) return candidate;
    dir = dirname(dir);
  }
  return null;
}

/** Answers one asset request: `page` for '/', else the file under `root`. */
export async function serveAsset(c: Context, root: string | null, page: string): Promise<Response> {
  if (root === null) return c.text('The web bundle is not built: run `npm run build`.', 503);
  const rel = c.req.path === '/' ? page : decodeURIComponent(c.req.path).replace(/^\/+/, '');
  const file = normalize(join(root, rel));
  if (!file.startsWith(root + sep)) return c.text('not found', 404);
  try {
    const body = await readFile(file);
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    // Asset names carry a content hash, so a name never changes meaning.
    const cache = rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    return new Response(body, { headers: { 'content-type': type, 'cache-control': cache, 'x-content-type-options': 'nosniff' } });
  } catch {
    return c.text('not found', 404);
  }
}
