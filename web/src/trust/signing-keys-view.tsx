import { useState } from 'preact/hooks';
import { request } from '../api/http.js';
import { describeError, formatDate } from '../format.js';
import type { SigningKeyRowFieldsFragment } from '../generated/graphql.js';
import { FormOutcome, useFormAction } from '../hooks/use-form-action.js';
import { useQuery } from '../hooks/use-query.js';
import { shortKeyId } from './signature-list.js';
import { SigningKeyForm } from './signing-key-form.js';
import { RevokeSigningKeyRequest, SigningKeyList } from './trust-documents.js';

/** `#/keys`, for admins: the public keys whose signatures seghub trusts; add one, revoke one. */
export function SigningKeysView() {
  const { data, error, refetch } = useQuery(SigningKeyList, {});
  const [revoking, setRevoking] = useState<SigningKeyRowFieldsFragment>();
  const [notice, setNotice] = useState('');
  const keys = data?.signingKeys;

  return (
    <section class="panel" aria-labelledby="keys-title">
      <h2 id="keys-title">Signing keys</h2>
      <SigningKeyForm onAdded={refetch} />
      {error && (
        <p class="message error" role="alert">
          {error}
        </p>
      )}
      <p class="message" role="status">
        {notice}
      </p>
      <div class="table-wrap">
        <table aria-label="Signing keys">
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col">Algorithm</th>
              <th scope="col">Key id</th>
              <th scope="col">Added</th>
              <th scope="col">Not after</th>
              <th scope="col">Revoked</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys?.map((key) => (
              <tr key={key.keyId} aria-selected={key.keyId === revoking?.keyId}>
                <th scope="row">{key.label}</th>
                <td>{key.algorithm}</td>
                <td class="mono" title={key.keyId}>
                  {shortKeyId(key.keyId)}
                </td>
                <td>{formatDate(key.addedAt)}</td>
                <td>{formatDate(key.notAfter)}</td>
                <td>
                  {key.revokedAt ? (
                    <>
                      {formatDate(key.revokedAt)}
                      {key.revokeReason && <span class="muted"> {key.revokeReason}</span>}
                    </>
                  ) : (
                    'no'
                  )}
                </td>
                <td>
                  {!key.revokedAt && (
                    <button
                      type="button"
                      class="link"
                      aria-label={`Revoke ${key.label}`}
                      onClick={() => {
                        setNotice('');
                        setRevoking(key);
                      }}
                    >
                      Revoke…
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {keys && keys.length === 0 && (
              <tr>
                <td colSpan={7} class="empty">
                  No signing keys yet: add one above.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {revoking && (
        <RevokeForm
          key={revoking.keyId}
          signingKey={revoking}
          onDone={(text) => {
            setRevoking(undefined);
            setNotice(text);
            refetch();
          }}
          onCancel={() => setRevoking(undefined)}
        />
      )}
    </section>
  );
}

interface RevokeFormProps {
  signingKey: SigningKeyRowFieldsFragment;
  /** Revoked: the form closes and the page says so. */
  onDone(text: string): void;
  onCancel(): void;
}

/** Revoking re-judges every segment the key signed; seghub records the reason with it. */
function RevokeForm({ signingKey, onDone, onCancel }: RevokeFormProps) {
  const [reason, setReason] = useState('');
  const { busy, message, run } = useFormAction();

  function submit(event: Event) {
    event.preventDefault();
    void run(async () => {
      const { revokeSigningKey: result } = await request(RevokeSigningKeyRequest, {
        keyId: signingKey.keyId,
        reason: reason.trim(),
      });
      if (!('key' in result)) return { kind: 'error', text: `Not revoked. ${describeError(result)}` };
      onDone(`Revoked ${result.key.label}.`);
      return { kind: 'ok', text: '' };
    });
  }

  return (
    <form class="inline-form" onSubmit={submit} aria-label={`Revoke ${signingKey.label}`}>
      <label>
        Reason
        <input value={reason} onInput={(e) => setReason(e.currentTarget.value)} required maxLength={500} />
      </label>
      <button type="submit" class="danger" disabled={busy}>
        Revoke key
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <p class="muted">Signatures by this key stop counting; rollouts that fall below the policy pause.</p>
      <FormOutcome message={message} />
    </form>
  );
}
