import { createRequire } from 'node:module';

const pkg = createRequire(import.meta.url)('../package.json') as { version: string };

/** seghub's release, from package.json. */
export const SEGHUB_VERSION: string = pkg.version;
