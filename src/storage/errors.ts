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
