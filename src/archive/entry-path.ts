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
