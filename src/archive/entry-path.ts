import { type Entry, getFileNameLowLevel } from 'yauzl';

/**
 * The names an extractor might give an entry: the one its Info-ZIP Unicode Path field declares and
 * the one in its header. A tool that ignores the extra field uses the second, so both must be safe.
 * Backslashes are kept, so messages show the name as the archive spells it.
 */
export function entryNames(entry: Entry): [primary: string, plain: string] {
  const flags = entry.generalPurposeBitFlag;
  return [
    getFileNameLowLevel(flags, entry.fileNameRaw, entry.extraFields, true),
    getFileNameLowLevel(flags, entry.fileNameRaw, [], true),
  ];
}

/**
 * Why an entry name could be extracted outside the target directory, if it could. Backslashes count
 * as separators because Windows tools treat them so.
 */
export function unsafePathProblem(name: string): string | undefined {
  const path = name.replaceAll('\\', '/');
  if (path.startsWith('/')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(path)) return 'starts with a drive letter';
  if (path.split('/').includes('..')) return 'has a ".." path segment';
  return undefined;
}

/**
 * Whether an extractor could write `name` where the manifest goes though it is not spelled
 * `segment.json`: `./segment.json`, `segment.json/`, `SEGMENT.JSON` (case-insensitive file systems,
 * Windows and macOS by default). Beside the manifest, which file a seat keeps would depend on the
 * tool; instead of it, a seat would find a manifest seghub never read.
 */
export function aliasesManifest(name: string, manifestName: string): boolean {
  if (name === manifestName) return false;
  const segments = name
    .replaceAll('\\', '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  return segments.join('/').toLowerCase() === manifestName;
}

const FILE_TYPE_MASK = 0o170000;
const SPECIAL_FILE_TYPES = new Map<number, string>([
  [0o120000, 'a symbolic link'],
  [0o010000, 'a named pipe'],
  [0o020000, 'a character device'],
  [0o060000, 'a block device'],
  [0o140000, 'a socket'],
]);

/**
 * What kind of special file an entry's Unix mode (the high half of its external attributes) makes
 * it, if any. A symbolic link extracted by a tool that honours it can point anywhere, and the next
 * entry written "through" it lands outside the target directory. Checked whatever host the entry
 * claims to come from: a DOS-made entry leaves these bits zero.
 */
export function specialFileKind(externalFileAttributes: number): string | undefined {
  return SPECIAL_FILE_TYPES.get((externalFileAttributes >>> 16) & FILE_TYPE_MASK);
}
