import { createHash, timingSafeEqual } from 'node:crypto';
import { type Stats, unwatchFile, watchFile } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Logger } from '../../logger.js';
import { isRole, type Principal, ROLES } from '../../model/principal.js';

/**
 * `AUTH_TOKENS_FILE`: one API token per line, `<role> <sha256 hex of the token> <label>`. The file
 * holds hashes only, so reading it (or a backup of it) gives no one a working token.
 */

export class TokenFileError extends Error {
  override name = 'TokenFileError';
}

interface TokenEntry {
  readonly hash: Buffer;
  readonly principal: Principal;
}

const LINE = /^(\S+)\s+([0-9a-fA-F]{64})\s+(\S.*)$/;

/** Every token of the file; a malformed line stops start-up, naming the file and line. */
export function parseTokenFile(text: string, fileName: string): TokenEntry[] {
  const entries: TokenEntry[] = [];
  const labels = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${fileName}:${index + 1}`;
    const match = LINE.exec(line);
    if (!match) throw new TokenFileError(`${where}: expected "<role> <sha256 hex of the token> <label>"`);
    const [, role, hex, label] = match as unknown as [string, string, string, string];
    if (!isRole(role)) {
      throw new TokenFileError(`${where}: unknown role "${role}" (one of ${ROLES.join(', ')})`);
    }
    // The line is trimmed and LINE's label starts with a non-space: nothing left to trim.
    if (labels.has(label)) throw new TokenFileError(`${where}: label "${label}" is used twice`);
    labels.add(label);
    entries.push({
      hash: Buffer.from(hex.toLowerCase(), 'hex'),
      principal: Object.freeze({ id: label, role }),
    });
  });
  return entries;
}

export async function loadTokenFile(fileName: string): Promise<TokenTable> {
  let text: string;
  try {
    text = await readFile(fileName, 'utf8');
  } catch (cause) {
    throw new TokenFileError(`AUTH_TOKENS_FILE ${fileName} cannot be read`, { cause });
  }
  return new TokenTable(parseTokenFile(text, fileName));
}

/** The tokens of a file that is read again whenever it changes. */
export interface TokenFileWatch {
  /** The tokens as last loaded. */
  table(): TokenTable;
  /** Calls `listener` after each reload that took; the return value unsubscribes. */
  onReload(listener: () => void): () => void;
  close(): void;
}

/**
 * Loads the file, then polls its stat every `intervalMs` (through a symlink, so a Kubernetes secret's
 * swap counts) and loads it again when it changed: tokens are added and revoked without a restart.
 * A file that no longer reads or parses leaves the tokens as they were, and says why in the log.
 */
export async function watchTokenFile(
  fileName: string,
  { intervalMs, log }: { intervalMs: number; log: Logger },
): Promise<TokenFileWatch> {
  let current = await loadTokenFile(fileName);
  const listeners = new Set<() => void>();
  const onReload = (listener: () => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  if (intervalMs === 0) return { table: () => current, onReload, close: () => {} };
  let loading = Promise.resolve();
  const changed = (now: Stats, before: Stats) => {
    if (now.mtimeMs === before.mtimeMs && now.ino === before.ino && now.size === before.size) return;
    loading = loading.then(() =>
      loadTokenFile(fileName).then(
        (table) => {
          current = table;
          log.info({ file: fileName, apiTokens: table.size }, 'API tokens reloaded');
          for (const listener of listeners) listener();
        },
        (err: unknown) =>
          log.error({ err, file: fileName }, 'API token file not reloaded: the old tokens stay'),
      ),
    );
  };
  watchFile(fileName, { interval: intervalMs, persistent: false }, changed);
  return { table: () => current, onReload, close: () => unwatchFile(fileName, changed) };
}

export class TokenTable {
  constructor(private readonly entries: readonly TokenEntry[]) {}

  get size(): number {
    return this.entries.length;
  }

  /**
   * The principal of a presented token. Every entry is compared in constant time and none is
   * skipped, so the answer's timing tells nothing about which hashes are close.
   */
  find(token: string): Principal | undefined {
    const hash = sha256(token);
    let found: Principal | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.hash, hash) && !found) found = entry.principal;
    }
    return found;
  }
}

/** What a token file line holds for `token` (also how an operator makes one: `sha256sum`). */
function sha256(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
