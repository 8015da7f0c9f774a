/**
 * Finds a local Ollama for `sigmascope start`: asks `GET /api/tags` with a short timeout and
 * returns the installed models (smallest first: the cheapest to probe), or null when nothing
 * answers like an Ollama. Never throws.
 */
import { timedRequest } from './http-transport.ts';

export async function detectLocalOllama(origin = 'http://127.0.0.1:11434', timeoutMs = 500): Promise<string[] | null> {
  let text = '';
  const out = await timedRequest({ url: `${origin}/api/tags`, method: 'GET', timeoutMs, idleTimeoutMs: timeoutMs, maxBytes: 1024 * 1024, onData: (c) => void (text += c.toString('utf8')) });
  if (!out.ok || out.status !== 200) return null;
  try {
    const models = (JSON.parse(text) as { models?: { name?: unknown; size?: unknown }[] }).models;
    if (!Array.isArray(models)) return null;
    return models
      .filter((m): m is { name: string; size?: unknown } => typeof m?.name === 'string')
      .sort((a, b) => (typeof a.size === 'number' ? a.size : Infinity) - (typeof b.size === 'number' ? b.size : Infinity))
      .map((m) => m.name);
  } catch {
    return null;
  }
}
