/** An API error that becomes `{"error": {"code", "message"}}` with its status in the app's onError. */
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export function apiError(status: ContentfulStatusCode, code: string, message: string): HTTPException {
  return new HTTPException(status, { res: new Response(JSON.stringify({ error: { code, message } }), { status, headers: { 'content-type': 'application/json' } }) });
}

/** 400 naming the parameter and the value it refused. */
export function badParam(name: string, value: string | undefined, expected: string): HTTPException {
  return apiError(400, 'bad_parameter', `${name}=${JSON.stringify(value ?? '')}: ${expected}`);
}
