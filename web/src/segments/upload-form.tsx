import { useRef, useState } from 'preact/hooks';
import { type ResumableUpload, uploadResumable } from '../api/tus-upload.js';
import { ProgressBar } from '../components/progress-bar.js';
import { describeError, errorText, formatBytes, TARGET_LABELS } from '../format.js';
import type { SegmentRowFieldsFragment } from '../generated/graphql.js';

type UploadState =
  | { phase: 'idle' }
  | { phase: 'sending'; sent: number; total: number }
  | { phase: 'done'; text: string }
  | { phase: 'refused'; text: string };

/** Picks a .zip or .mpk and sends it to seghub over an upload session, showing the bytes sent as they go. */
export function UploadForm({ onUploaded }: { onUploaded(segment: SegmentRowFieldsFragment): void }) {
  const input = useRef<HTMLInputElement>(null);
  const handle = useRef<ResumableUpload | undefined>(undefined);
  const [file, setFile] = useState<File>();
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const sending = state.phase === 'sending';

  async function submit(event: Event) {
    event.preventDefault();
    if (!file) return;
    setState({ phase: 'sending', sent: 0, total: file.size });
    // Resumable (tus): a file whose upload was cut off, even before a page reload, goes on where it stopped.
    const upload = uploadResumable(file, (sent, total) => setState({ phase: 'sending', sent, total }));
    handle.current = upload;
    try {
      const result = await upload.done;
      if (result.__typename === 'UploadSegmentSuccess') {
        const { segment } = result;
        setState({
          phase: 'done',
          text: `Uploaded ${segment.name} ${segment.version}; syncing it to the ${TARGET_LABELS[segment.target]}.`,
        });
        onUploaded(segment);
      } else {
        setState({ phase: 'refused', text: `Upload refused. ${describeError(result)}` });
      }
    } catch (error) {
      setState({ phase: 'refused', text: `Upload failed. ${errorText(error)}` });
    } finally {
      handle.current = undefined;
      setFile(undefined);
      if (input.current) input.current.value = '';
    }
  }

  return (
    <form class="upload" onSubmit={submit} aria-label="Upload a segment">
      <label>
        Segment file (.zip or .mpk)
        <input
          ref={input}
          type="file"
          accept=".zip,.mpk"
          disabled={sending}
          onChange={(e) => setFile(e.currentTarget.files?.[0])}
        />
      </label>
      <div class="upload-actions">
        <button type="submit" class="primary" disabled={!file || sending}>
          Upload
        </button>
        {sending && (
          <button type="button" onClick={() => handle.current?.abort()}>
            Cancel upload
          </button>
        )}
      </div>
      <div class="upload-status">
        {state.phase === 'sending' && (
          <ProgressBar
            label="Upload progress"
            percent={state.total ? (state.sent / state.total) * 100 : 0}
            detail={`${formatBytes(state.sent)} of ${formatBytes(state.total)}`}
          />
        )}
        <p
          class={state.phase === 'refused' ? 'message error' : 'message'}
          role={state.phase === 'refused' ? 'alert' : 'status'}
        >
          {state.phase === 'done' || state.phase === 'refused' ? state.text : ''}
        </p>
      </div>
    </form>
  );
}
