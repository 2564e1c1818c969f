import { useState } from 'preact/hooks';
import { SegmentDownloadLink } from '../api/download-documents.js';
import { request } from '../api/http.js';
import { errorText } from '../format.js';

interface DownloadLinkProps {
  segmentId: string;
  fileName: string;
}

/**
 * Downloads the segment's file (a button: it acts before it navigates). The URL carries a token that must be used within minutes, so it is
 * asked for on the click and followed at once; the file arrives as an attachment, the page stays.
 */
export function DownloadLink({ segmentId, fileName }: DownloadLinkProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function download() {
    setBusy(true);
    setError(undefined);
    try {
      const { segment } = await request(SegmentDownloadLink, { id: segmentId });
      if (!segment) throw new Error('The segment no longer exists.');
      window.location.assign(segment.downloadUrl);
    } catch (failure) {
      setError(`Not downloaded. ${errorText(failure)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button type="button" disabled={busy} title={`Download ${fileName}`} onClick={() => void download()}>
        {busy ? 'Preparing download…' : 'Download'}
      </button>
      {error && (
        <p class="message error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
