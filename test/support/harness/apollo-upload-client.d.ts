/**
 * apollo-upload-client ships plain ESM with JSDoc types, which TypeScript reads only with `allowJs`
 * and `maxNodeModuleJsDepth` (its readme). Rather than let the whole project type-check JavaScript
 * from node_modules, this declares the one class the tests use, as its JSDoc describes it.
 */
declare module 'apollo-upload-client/UploadHttpLink.mjs' {
  import { ApolloLink } from '@apollo/client/link';

  export interface UploadHttpLinkOptions {
    /** The GraphQL endpoint; `/graphql` if not given. */
    uri?: string;
    useGETForQueries?: boolean;
    fetch?: typeof fetch;
    fetchOptions?: RequestInit;
    credentials?: string;
    /** Merged into every request's headers, the multipart upload included. */
    headers?: Record<string, string>;
    includeExtensions?: boolean;
    includeUnusedVariables?: boolean;
  }

  export default class UploadHttpLink extends ApolloLink {
    constructor(options?: UploadHttpLinkOptions);
  }
}
