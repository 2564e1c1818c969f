/** A complete, hashed, fsync'd file in the temp directory, waiting to be placed or discarded. */
export interface StagedFile {
  path: string;
  sha256: string;
  size: number;
  /** The file's bytes, when it was received with `keepBytes` and is no larger. */
  bytes?: Buffer;
}
