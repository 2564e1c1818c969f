import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { KvError, StoreUnavailableError } from '../../src/kv/kv.js';
import { SdpRejectedError, SdpUnavailableError } from '../../src/sdp/errors.js';
import { unavailableError } from '../../src/server/plugins/use-unavailable.js';
import { unavailableCodeOf } from '../../src/util/unavailable.js';

/** Issue #22 item 4: the HTTP layer recognises the store's and SDP's unavailability without importing them. */
describe('unavailability', () => {
  it('is found through wrappers: causes and GraphQL errors', () => {
    const store = new StoreUnavailableError('etcd range: connect ECONNREFUSED');
    expect(unavailableCodeOf(store)).toBe('STORE_UNAVAILABLE');
    expect(unavailableCodeOf(new Error('reading segments', { cause: store }))).toBe('STORE_UNAVAILABLE');
    const sdp = new SdpUnavailableError('DEPLOY_PLATFORM', 'ListDevices', 'UNAVAILABLE', 'platform is down');
    const wrapped = new GraphQLError('x', { originalError: new GraphQLError('y', { originalError: sdp }) });
    expect(unavailableError(wrapped)?.extensions).toMatchObject({ code: 'SDP_UNAVAILABLE' });
  });

  it('is not claimed by other failures', () => {
    expect(unavailableCodeOf(new KvError('etcd compact: revision compacted'))).toBeUndefined();
    expect(
      unavailableCodeOf(new SdpRejectedError('STORE_15S', 'CreateSegment', 'INVALID_ARGUMENT', 'bad')),
    ).toBeUndefined();
    expect(unavailableError(new GraphQLError('Cannot query field'))).toBeUndefined();
  });
});
