import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin } from 'graphql-yoga';

/** Headers that prove a request is not a cross-site form post or a bare GET from another origin. */
const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'apollo-require-preflight'] as const;

/**
 * Yoga's CSRF prevention: a request a browser could send cross-site without a preflight (GET, or a
 * form/multipart/text POST) must carry one of `CSRF_HEADERS`. Uploads are multipart, so this is
 * what keeps another site's page from uploading with a logged-in operator's cookies or token.
 */
export function useCsrf(): Plugin {
  return useCSRFPrevention({ requestHeaders: [...CSRF_HEADERS] }) as Plugin;
}
