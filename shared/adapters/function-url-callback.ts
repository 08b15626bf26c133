import type { LambdaFunctionURLEvent } from 'aws-lambda';
import type { CallbackRequest, CallbackResponse } from '../use-cases/websub-callback.ts';
import { MAX_PUSH_BYTES } from '../domain/websub-subscription.ts';

/**
 * A Lambda Function URL request as the WebSub callback reads it. The signature covers the raw
 * bytes: a body Lambda passed base64-encoded is decoded; a text body is taken as the UTF-8 it
 * was (Lambda passes text content types as strings). A body whose decoded size must pass the
 * cap is not decoded at all: one byte past it stands in, and the callback refuses it (413).
 * The raw query string is kept (queryStringParameters joins repeated keys with commas).
 */
export function callbackRequestFromFunctionUrl(event: LambdaFunctionURLEvent, maxBodyBytes = MAX_PUSH_BYTES): CallbackRequest {
  const raw = event.body ?? '';
  // base64 of n bytes is 4 * ceil(n / 3) characters: this is the least the body can decode to.
  const atLeast = event.isBase64Encoded ? Math.floor((raw.length * 3) / 4) - 2 : Buffer.byteLength(raw);
  const body = atLeast > maxBodyBytes ? new Uint8Array(maxBodyBytes + 1) : event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  return { method: event.requestContext?.http?.method ?? 'GET', path: event.rawPath ?? '/', query: event.rawQueryString ?? '', headers, body };
}

export function functionUrlResult(response: CallbackResponse): { statusCode: number; headers: Record<string, string>; body: string } {
  // text/plain: a challenge is echoed as it came, and never read as markup by anyone opening the URL.
  return { statusCode: response.status, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }, body: response.body };
}
