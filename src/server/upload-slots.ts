/**
 * MAX_CONCURRENT_UPLOADS for this process, shared by GraphQL multipart uploads and tus PATCHes to
 * /uploads: each holds buffers and a file while its body streams.
 */
export class UploadSlots {
  private running = 0;

  constructor(readonly max: number) {}

  get inUse(): number {
    return this.running;
  }

  /** A slot and the function that gives it back (once, however often called), or undefined when all are taken. */
  take(): (() => void) | undefined {
    if (this.running >= this.max) return undefined;
    this.running += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
    };
  }
}
