import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Builds `dist/` once before any test spawns `npm start` or `npm run sdp-sim`. Their own prestart
 * build then finds nothing to do, and processes started side by side never compile at once.
 */
export default function setup(): void {
  execFileSync('npm', ['run', '--silent', 'build'], {
    cwd: fileURLToPath(new URL('../../..', import.meta.url)),
    stdio: 'inherit',
  });
}
