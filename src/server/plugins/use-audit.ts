import {
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  getDirectiveValues,
  getOperationAST,
  Kind,
  type OperationDefinitionNode,
  type SelectionNode,
  valueFromASTUntyped,
} from 'graphql';
import { Upload } from 'graphql-upload-ts';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../../graphql/context.js';
import type { Logger } from '../../logger.js';
import type { AuditEntry, AuditLog } from '../../records/audit-log.js';

/**
 * One audit entry per mutation field, recorded here rather than in each resolver, so that no
 * mutation can forget it, and refusals (FORBIDDEN) are recorded too. To learn how a field ended
 * without relying on what the client selected, the executed document asks each mutation field for
 * its `__typename` and, on error types, its `code` under aliases of its own, removed from the
 * result before the client sees it.
 *
 * The response waits for the write, so a returned mutation has its entry; a failed write is logged
 * at error level and the mutation's result is still returned (it has happened; hiding it would
 * make the caller retry something already done).
 */

const TYPE_KEY = 'seghubAuditResultType';
const CODE_KEY = 'seghubAuditErrorCode';
const ARRAY_ITEMS_KEPT = 50;
const STRING_CHARS_KEPT = 256;
const SECRET_KEY = /token|secret|password|authorization|credential/i;

export interface AuditOptions {
  audit: AuditLog;
  /** Where an entry that could not be written is reported. */
  log: Logger;
}

export function useAudit({ audit, log }: AuditOptions): Plugin<GraphQLContext> {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      const at = new Date().toISOString();
      const variables = (args.variableValues ?? {}) as Record<string, unknown>;
      const fields = operation.selectionSet.selections
        .filter(isField)
        .filter((field) => isIncluded(field, variables));
      const document = probedDocument(args.document, operation);
      setExecuteFn((execArgs) => executeFn({ ...execArgs, document }));
      return {
        async onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          const { principal } = args.contextValue as GraphQLContext;
          const data = result.data ? { ...result.data } : result.data;
          // Mutation fields run one after another and stop at the first that fails outright.
          const errors = fields.map((field) => errorAt(result, responseKey(field)));
          const failedAt = errors.findIndex(Boolean);
          const entries = fields.flatMap((field, index): AuditEntry[] => {
            const key = responseKey(field);
            const value = data?.[key] as Record<string, unknown> | null | undefined;
            const outcome = outcomeOf(value, errors[index], data === null && index < failedAt);
            if (!outcome) return [];
            if (data && value && typeof value === 'object') data[key] = withoutProbes(value);
            return [
              {
                at,
                actor: { id: principal.id, role: principal.role },
                operationName: operation.name?.value ?? args.operationName ?? null,
                field: field.name.value,
                arguments: argumentsOf(field, variables),
                ...outcome,
              },
            ];
          });
          setResult({ ...result, data });
          await Promise.all(entries.map((entry) => record(audit, log, entry)));
        },
      };
    },
  };
}

async function record(audit: AuditLog, log: Logger, entry: AuditEntry): Promise<void> {
  try {
    await audit.append(entry);
  } catch (err) {
    log.error(
      { err, audit: { field: entry.field, actor: entry.actor, outcome: entry.outcome } },
      'AUDIT ENTRY LOST: the mutation ran but its audit entry could not be written',
    );
  }
}

/**
 * How a field ended; undefined when it never ran (skipped by a directive, or after a field that
 * failed outright). A field that ran before such a failure lost its result with the response's
 * `data`: UNKNOWN.
 */
function outcomeOf(
  value: Record<string, unknown> | null | undefined,
  error: GraphQLError | undefined,
  ranBeforeFailure: boolean,
): Pick<AuditEntry, 'outcome' | 'resultType' | 'errorCode'> | undefined {
  if (value && typeof value === 'object') {
    const resultType = typeof value[TYPE_KEY] === 'string' ? (value[TYPE_KEY] as string) : null;
    const code = value[CODE_KEY];
    return typeof code === 'string'
      ? { outcome: 'ERROR', resultType, errorCode: code }
      : { outcome: 'SUCCESS', resultType, errorCode: null };
  }
  if (error) {
    const code = error.extensions?.code;
    return {
      outcome: 'ERROR',
      resultType: null,
      errorCode: typeof code === 'string' ? code : 'INTERNAL_ERROR',
    };
  }
  return ranBeforeFailure ? { outcome: 'UNKNOWN', resultType: null, errorCode: null } : undefined;
}

function errorAt(result: ExecutionResult, key: string): GraphQLError | undefined {
  return result.errors?.find((e) => e.path?.[0] === key);
}

function responseKey(field: FieldNode): string {
  return field.alias?.value ?? field.name.value;
}

function withoutProbes(value: Record<string, unknown>): Record<string, unknown> {
  const { [TYPE_KEY]: _type, [CODE_KEY]: _code, ...rest } = value;
  return rest;
}

/**
 * Probed documents by operation: Yoga hands the same parsed document for the same query text, and
 * the executor caches its planning by document, so one probed copy per operation keeps that cache.
 */
const probed = new WeakMap<OperationDefinitionNode, DocumentNode>();

function probedDocument(document: DocumentNode, operation: OperationDefinitionNode): DocumentNode {
  let found = probed.get(operation);
  if (!found) {
    found = withResultProbes(document, operation);
    probed.set(operation, found);
  }
  return found;
}

/** The document with `__typename` and `... on Error { code }` under private aliases on each mutation field. */
function withResultProbes(document: DocumentNode, operation: OperationDefinitionNode): DocumentNode {
  const probes: SelectionNode[] = [
    { kind: Kind.FIELD, alias: name(TYPE_KEY), name: name('__typename') },
    {
      kind: Kind.INLINE_FRAGMENT,
      typeCondition: { kind: Kind.NAMED_TYPE, name: name('Error') },
      selectionSet: {
        kind: Kind.SELECTION_SET,
        selections: [{ kind: Kind.FIELD, alias: name(CODE_KEY), name: name('code') }],
      },
    },
  ];
  const selections = operation.selectionSet.selections.map((selection) =>
    isField(selection) && selection.selectionSet
      ? {
          ...selection,
          selectionSet: {
            ...selection.selectionSet,
            selections: [...selection.selectionSet.selections, ...probes],
          },
        }
      : selection,
  );
  const probed = { ...operation, selectionSet: { ...operation.selectionSet, selections } };
  return { ...document, definitions: document.definitions.map((d) => (d === operation ? probed : d)) };
}

function argumentsOf(field: FieldNode, variables: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const arg of field.arguments ?? []) {
    const raw = valueFromASTUntyped(arg.value, variables);
    out[arg.name.value] = SECRET_KEY.test(arg.name.value) ? '[redacted]' : summarise(raw);
  }
  return out;
}

/** File names, never contents; long lists and strings cut, so an entry stays small. */
function summarise(value: unknown): unknown {
  if (value instanceof Upload) return { fileName: value.file?.filename ?? null };
  if (Array.isArray(value)) {
    const kept = value.slice(0, ARRAY_ITEMS_KEPT).map(summarise);
    return value.length > ARRAY_ITEMS_KEPT ? [...kept, `… ${value.length - ARRAY_ITEMS_KEPT} more`] : kept;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : summarise(v)]),
    );
  }
  if (typeof value === 'string' && value.length > STRING_CHARS_KEPT)
    return `${value.slice(0, STRING_CHARS_KEPT)}…`;
  return value;
}

/** Not skipped by `@skip` or `@include`. */
function isIncluded(field: FieldNode, variables: Record<string, unknown>): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, field, variables);
  const include = getDirectiveValues(GraphQLIncludeDirective, field, variables);
  return skip?.if !== true && include?.if !== false;
}

function isField(selection: SelectionNode): selection is FieldNode {
  return selection.kind === Kind.FIELD;
}

function name(value: string) {
  return { kind: Kind.NAME, value } as const;
}
