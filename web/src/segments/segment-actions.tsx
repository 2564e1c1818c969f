import { useState } from 'preact/hooks';
import { DeleteSegmentById, RetrySync } from '../api/documents.js';
import { request } from '../api/http.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { describeError, errorText } from '../format.js';
import type { SegmentRowFieldsFragment } from '../generated/graphql.js';
import { DownloadLink } from './download-link.js';

interface SegmentActionsProps {
  segment: SegmentRowFieldsFragment;
  onChanged(): void;
}

/** Download the file; retry a failed sync; delete, after a confirmation that says what deleting does. */
export function SegmentActions({ segment, onChanged }: SegmentActionsProps) {
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const deleting = segment.deleteStatus === 'PROCESSING';

  async function remove() {
    setConfirming(false);
    setMessage(undefined);
    try {
      const { deleteSegment: result } = await request(DeleteSegmentById, { id: segment.id });
      if (result.__typename === 'DeleteSegmentSuccess') {
        setMessage({ kind: 'ok', text: 'Deleting: removing it from SDP, then from seghub.' });
        onChanged();
      } else {
        setMessage({ kind: 'error', text: `Not deleted. ${describeError(result)}` });
      }
    } catch (error) {
      setMessage({ kind: 'error', text: errorText(error) });
    }
  }

  async function retry() {
    setMessage(undefined);
    try {
      const { retrySegmentSync: result } = await request(RetrySync, { id: segment.id });
      if (result.__typename === 'RetrySegmentSyncSuccess') onChanged();
      else setMessage({ kind: 'error', text: describeError(result) });
    } catch (error) {
      setMessage({ kind: 'error', text: errorText(error) });
    }
  }

  return (
    <div class="segment-actions">
      <div class="actions">
        <DownloadLink segmentId={segment.id} fileName={segment.fileName} />
        {segment.sync.status === 'FAILED' && !deleting && (
          <button type="button" onClick={retry}>
            Retry sync
          </button>
        )}
        <button type="button" class="danger" disabled={deleting} onClick={() => setConfirming(true)}>
          {deleting ? 'Deleting…' : 'Delete…'}
        </button>
      </div>
      {segment.deleteStatus === 'FAILED' && segment.deleteError && (
        <p class="message error">Deleting failed: {segment.deleteError}</p>
      )}
      <p
        class={message?.kind === 'error' ? 'message error' : 'message'}
        role={message?.kind === 'error' ? 'alert' : 'status'}
      >
        {message?.text}
      </p>
      {confirming && (
        <ConfirmDialog
          title={`Delete ${segment.name} ${segment.version}?`}
          confirmLabel="Delete segment"
          onConfirm={remove}
          onCancel={() => setConfirming(false)}
        >
          <p>
            It is removed from the {segment.target === 'STORE_15S' ? '15s store' : 'deployment platform'} and
            then from seghub, with its install history. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
