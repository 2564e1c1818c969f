import type { KeyObject } from 'node:crypto';

/**
 * The one algorithm a public key verifies: RS256 for RSA keys, ES256 for P-256 keys. Anything else
 * is refused at start-up (config validation) rather than at the first request.
 */
export function publicKeyAlgorithm(key: KeyObject): 'RS256' | 'ES256' {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new Error('not an RSA or P-256 (prime256v1) key');
}
