import type { ICompare, IRequestOp, IResponseOp, ITxnRequest, ITxnResponse } from 'etcd3';
import type { Compare, TxnOp, TxnOpResult, TxnRequest, TxnResult } from '../kv.js';
import { type KeySpace, revision, toKeyValue } from './etcd-codec.js';

/** Translates seghub transactions to etcd's raw TxnRequest and back. */

const COMPARE_RESULT = { '=': 'Equal', '!=': 'NotEqual', '<': 'Less', '>': 'Greater' } as const;

function toCompare(compare: Compare, keys: KeySpace): ICompare {
  const key = keys.key(compare.key);
  const result = COMPARE_RESULT[compare.op];
  switch (compare.target) {
    case 'createRevision':
      return { key, result, target: 'Create', create_revision: compare.value };
    case 'modRevision':
      return { key, result, target: 'Mod', mod_revision: compare.value };
    case 'version':
      return { key, result, target: 'Version', version: compare.value };
    case 'value':
      return { key, result, target: 'Value', value: Buffer.from(compare.value, 'utf8') };
  }
}

function toRequestOp(op: TxnOp, keys: KeySpace): IRequestOp {
  switch (op.type) {
    case 'get':
      return { request_range: { key: keys.key(op.key) } };
    case 'put':
      return {
        request_put: {
          key: keys.key(op.key),
          value: Buffer.from(op.value, 'utf8'),
          ...(op.lease !== undefined && { lease: op.lease }),
        },
      };
    case 'delete':
      return { request_delete_range: { key: keys.key(op.key) } };
    case 'deletePrefix':
      return { request_delete_range: keys.prefixRange(op.prefix) };
  }
}

export function toTxnRequest(request: TxnRequest, keys: KeySpace): ITxnRequest {
  return {
    compare: request.compare.map((c) => toCompare(c, keys)),
    success: request.success.map((op) => toRequestOp(op, keys)),
    failure: (request.failure ?? []).map((op) => toRequestOp(op, keys)),
  };
}

function toOpResult(op: TxnOp, response: IResponseOp | undefined, keys: KeySpace): TxnOpResult {
  switch (op.type) {
    case 'get': {
      const kv = response?.response_range?.kvs[0];
      return { type: 'get', kv: kv ? toKeyValue(kv, keys) : undefined };
    }
    case 'put':
      return { type: 'put' };
    case 'delete':
    case 'deletePrefix':
      return { type: op.type, deleted: revision(response?.response_delete_range?.deleted) };
  }
}

export function fromTxnResponse(request: TxnRequest, response: ITxnResponse, keys: KeySpace): TxnResult {
  const branch = response.succeeded ? request.success : (request.failure ?? []);
  return {
    succeeded: response.succeeded,
    revision: revision(response.header.revision),
    results: branch.map((op, i) => toOpResult(op, response.responses[i], keys)),
  };
}
