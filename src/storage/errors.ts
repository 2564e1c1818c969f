/** The source carried more than `maxBytes`; nothing of it was kept. */
export class SizeLimitError extends Error {
  override name = 'SizeLimitError';
  constructor(readonly maxBytes: number) {
    super(`the file is larger than the limit of ${maxBytes} bytes`);
  }
}

export function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** The file system is full, or the writer's quota is spent: freeing space, not retrying now, helps. */
export function isOutOfSpace(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}
