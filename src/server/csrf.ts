import type { Refusal } from './refusal.js';

/** Headers that prove a request is not a cross-site form post or a bare GET from another origin. */
const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'apollo-require-preflight'] as const;

/** Content types a browser sends cross-site without a CORS preflight. */
const NON_PREFLIGHTED = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * CSRF prevention (as Yoga's plugin does it, but checked from the headers before the body is read):
 * a request a browser could send cross-site without a preflight (GET, or a form, multipart or text
 * POST) must carry one of `CSRF_HEADERS`. Uploads are multipart, so this is what keeps another
 * site's page from uploading with a logged-in operator's credentials.
 */
export function csrfRefusal(request: Request): Refusal | undefined {
  const contentType = request.headers.get('content-type')?.toLowerCase();
  const preflighted = contentType && !NON_PREFLIGHTED.some((type) => contentType.startsWith(type));
  if (preflighted || CSRF_HEADERS.some((header) => request.headers.has(header))) return undefined;
  return {
    status: 403,
    code: 'CSRF_HEADER_REQUIRED',
    message:
      `CSRF prevention: a GET or a multipart, form or text/plain POST (every upload) must carry one of ` +
      `the headers ${CSRF_HEADERS.join(', ')} (any value, e.g. "x-graphql-yoga-csrf: 1")`,
  };
}
