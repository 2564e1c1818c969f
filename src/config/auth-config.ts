import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { publicKeyAlgorithm } from '../util/key-algorithm.js';

/** The parts of `config.ts` that concern authentication and the rules between variables. */

/** PEM text, or the path of a file holding it: a multi-line PEM is awkward in many environments. */
export const publicKeyPem = z.string().transform((value, ctx) => {
  try {
    const pem = value.startsWith('-----BEGIN') ? value : readFileSync(value, 'utf8');
    publicKeyAlgorithm(createPublicKey(pem));
    return pem;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    ctx.addIssue({
      code: 'custom',
      message: `must be a PEM public key (RSA or P-256) or a file holding one: ${reason}`,
    });
    return z.NEVER;
  }
});

/**
 * A deployment on etcd is shared and reachable by others: running it open must be a decision
 * (AUTH_DISABLED=true), never the result of a forgotten variable.
 */
export function authPolicyProblem(e: {
  ETCD_ENDPOINTS?: readonly string[];
  AUTH_TOKENS_FILE?: string;
  AUTH_JWT_SECRET?: string;
  AUTH_JWT_PUBLIC_KEY?: string;
  AUTH_DISABLED: boolean;
}): { variable: string; message: string } | undefined {
  const authConfigured = Boolean(e.AUTH_TOKENS_FILE || e.AUTH_JWT_SECRET || e.AUTH_JWT_PUBLIC_KEY);
  if (e.ETCD_ENDPOINTS && !authConfigured && !e.AUTH_DISABLED) {
    // Filed under the variable that makes authentication required: none of the others is wrong.
    return {
      variable: 'ETCD_ENDPOINTS',
      message:
        'is set, so authentication is required but none is configured: set AUTH_TOKENS_FILE, ' +
        'AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY, or AUTH_DISABLED=true to run open on purpose',
    };
  }
  return undefined;
}
