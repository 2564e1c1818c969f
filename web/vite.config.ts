import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * `npm run build:web` bundles the dashboard into web/dist, which seghub serves at `/`. Preact's
 * JSX is compiled by Vite's own transformer (no plugin): fewer moving parts in the toolchain.
 * `npx vite --config web/vite.config.ts` serves it with reload, proxying /graphql to a seghub on :4000.
 */
export default defineConfig({
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Hashed names under /assets are served as immutable; index.html is never cached.
    assetsDir: 'assets',
  },
  server: {
    proxy: { '/graphql': { target: 'http://localhost:4000', ws: true } },
  },
});
