import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A real, small file system (tmpfs) that a test can fill to the last byte and free again, for
 * what happens when the disk is full. Mounting needs root (or CAP_SYS_ADMIN): where the machine
 * does not allow it the suite is skipped with the reason printed. Under `CI=true` any other mount
 * failure fails the run: where mounting is allowed, CI never skips this suite.
 */
export interface SmallDisk {
  readonly dir: string;
  /** Writes a filler file until the file system refuses another byte. */
  fill(): Promise<void>;
  /** Removes the filler. */
  free(): Promise<void>;
  unmount(): void;
}

export type SmallDiskPolicy = { disk: SmallDisk; skip?: undefined } | { disk?: undefined; skip: string };

export function mountSmallDisk(sizeMiB: number): SmallDiskPolicy {
  if (process.getuid?.() !== 0)
    return skip('mounting a tmpfs needs root, and this test runs as another user');
  const dir = mkdtempSync(path.join(tmpdir(), 'seghub-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const detail = String((error as { stderr?: Buffer }).stderr ?? error).trim();
    const reason = `cannot mount a tmpfs here: ${detail}`;
    const notAllowed = /permission denied|not permitted|superuser|EPERM|EACCES/i.test(detail);
    if (process.env.CI === 'true' && !notAllowed) throw new Error(`CI=true, and ${reason}`);
    return skip(reason);
  }
  const filler = path.join(dir, 'filler');
  return {
    disk: {
      dir,
      fill: () => fillUp(filler),
      free: () => rm(filler, { force: true }),
      unmount() {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
        rmSync(dir, { recursive: true, force: true });
      },
    },
  };
}

function skip(reason: string): SmallDiskPolicy {
  console.log(`[small-disk] skipping the full-disk suite: ${reason}`);
  return { skip: reason };
}

/** Large writes first, then single pages, so not even a page is left. */
async function fillUp(file: string): Promise<void> {
  const handle = await open(file, 'a');
  try {
    for (const size of [1024 * 1024, 4096]) {
      const block = Buffer.alloc(size, 1);
      for (;;) {
        try {
          await handle.write(block);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    await handle.close();
  }
}
