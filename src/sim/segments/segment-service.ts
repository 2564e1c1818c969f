import type { handleClientStreamingCall } from '@grpc/grpc-js';
import type { Logger } from '../../logger.js';
import type {
  CreateSegmentRequest,
  CreateSegmentResponse,
  SegmentServiceServer,
} from '../../sdp/generated/seghub/sdp/v1/segments.js';
import { statusFor, unary } from '../handlers.js';
import { notFound } from '../status.js';
import { downloadHandler } from './download.js';
import type { SegmentStore } from './segment-store.js';

export interface SegmentServiceOptions {
  logger: Logger;
  /** Refuses a delete by throwing a SimStatusError (FAILED_PRECONDITION while installed or busy). */
  canDelete?: (uid: string) => void;
  /** Told after a segment and its file are gone. */
  onDeleted?: (uid: string) => void;
}

/** The SegmentService handlers of one simulated platform, over its store. */
export function createSegmentService(
  store: SegmentStore,
  options: SegmentServiceOptions,
): SegmentServiceServer {
  const { logger, canDelete, onDeleted } = options;
  return {
    createSegment: createHandler(store, logger),
    getSegment: unary(logger, 'GetSegment', ({ uid }) => {
      const segment = store.get(uid);
      if (!segment) throw notFound(`no segment with uid ${uid}`);
      return { segment };
    }),
    listSegments: unary(logger, 'ListSegments', (request) => store.listPage(request)),
    deleteSegment: unary(logger, 'DeleteSegment', async ({ uid }) => {
      await store.delete(uid, canDelete);
      try {
        onDeleted?.(uid);
      } catch (err) {
        // The delete happened and is durable; the caller must hear so.
        logger.error({ err, uid }, 'onDeleted hook failed');
      }
      return {};
    }),
    downloadSegment: downloadHandler(store, logger),
  };
}

function createHandler(
  store: SegmentStore,
  logger: Logger,
): handleClientStreamingCall<CreateSegmentRequest, CreateSegmentResponse> {
  return (call, callback) => {
    const cancel = new AbortController();
    call.once('cancelled', () => cancel.abort(new Error('the caller cancelled the upload')));
    // One promise, so the callback runs exactly once; nobody listens any more after a cancel.
    store.create(call, { signal: cancel.signal }).then(
      (response) => callback(null, response),
      (err: unknown) => {
        if (!call.cancelled) callback(statusFor(logger, 'CreateSegment', err));
      },
    );
  };
}
