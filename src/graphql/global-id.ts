import { decodeGlobalID } from '@pothos/plugin-relay';

/** The local id inside a global id of `typename`; undefined for a malformed id or another type's. */
export function localIdOf(globalId: string, typename: string): string | undefined {
  try {
    const decoded = decodeGlobalID(globalId);
    return decoded.typename === typename ? decoded.id : undefined;
  } catch {
    return undefined;
  }
}
