// `npm run build` runs before every `npm start` (and tests start seghub many times): the dashboard
// is bundled again only when a source is newer than the built page. `npm run build:web` always builds.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('.', import.meta.url));
const sources = [
  path.join(web, 'src'),
  path.join(web, 'index.html'),
  path.join(web, 'vite.config.ts'),
  path.join(web, '..', 'package-lock.json'),
];

function newestMtime(entry) {
  const stat = statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

const built = statSync(path.join(web, 'dist', 'index.html'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
if (built < Math.max(...sources.map(newestMtime))) {
  const { build } = await import('vite');
  await build({ configFile: path.join(web, 'vite.config.ts'), logLevel: 'warn' });
}
