import { formatDate } from '../format.js';
import type { SegmentTrustViewFieldsFragment, SignatureStatus } from '../generated/graphql.js';

const STATUS_WORDS: Record<SignatureStatus, string> = {
  UNSIGNED: 'no signature yet',
  VALID: 'the signatures meet the policy',
  INSUFFICIENT: 'fewer valid signatures by distinct keys than the policy requires',
  INVALID: 'a signature no longer holds',
};

/** A key id is 64 hex digits; its first twelve tell keys apart on a screen (the title holds all). */
export function shortKeyId(keyId: string): string {
  return keyId.slice(0, 12);
}

interface SignatureListProps {
  status: SignatureStatus;
  signatures: SegmentTrustViewFieldsFragment['signatures'];
}

/** The segment's signatures, each with its key's label and whether it still holds (or why not). */
export function SignatureList({ status, signatures }: SignatureListProps) {
  return (
    <section class="trust-block" aria-labelledby="signatures-title">
      <h3 id="signatures-title">Signatures</h3>
      <p>
        <span class={`badge badge-signature-${status.toLowerCase()}`} data-testid="signature-status">
          {status}
        </span>{' '}
        <span class="muted">{STATUS_WORDS[status]}</span>
      </p>
      {signatures.length > 0 && (
        <table aria-label="Signatures">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Key id</th>
              <th scope="col">Signed</th>
              <th scope="col">Valid</th>
            </tr>
          </thead>
          <tbody>
            {signatures.map((signature) => (
              <tr key={signature.keyId}>
                <th scope="row">{signature.key?.label ?? <span class="muted">(key gone)</span>}</th>
                <td class="mono" title={signature.keyId}>
                  {shortKeyId(signature.keyId)}
                </td>
                <td>{formatDate(signature.signedAt)}</td>
                <td class={signature.valid ? undefined : 'trust-error'}>
                  {signature.valid ? 'valid' : (signature.reason ?? 'not valid')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
