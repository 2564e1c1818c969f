/**
 * Seat labels (SPEC-FLEET section 1): `key=value` pairs that selectors and seat groups match on.
 * Pure rules, no I/O: the domain checks input with them, the selector parser checks keys with them.
 */

export interface Label {
  readonly key: string;
  readonly value: string;
}

/** Lower case; `/` lets keys carry a namespace (`site.example/rack`). */
const LABEL_KEY_PATTERN = /^[a-z0-9]([a-z0-9._/-]{0,62})$/;
/** May be empty (`role=` is a label with an empty value). */
const LABEL_VALUE_PATTERN = /^[A-Za-z0-9._-]{0,63}$/;
export const MAX_LABELS_PER_SEAT = 32;
export const MAX_SEAT_DESCRIPTION_LENGTH = 256;

export function isValidLabelKey(key: string): boolean {
  return LABEL_KEY_PATTERN.test(key);
}

export function isValidLabelValue(value: string): boolean {
  return LABEL_VALUE_PATTERN.test(value);
}

/** Why a label set was refused; `index` is the label's position in what the client sent. */
export type LabelProblem =
  | { readonly kind: 'key'; readonly index: number; readonly key: string }
  | { readonly kind: 'value'; readonly index: number; readonly key: string; readonly value: string }
  | { readonly kind: 'duplicate'; readonly index: number; readonly key: string }
  | { readonly kind: 'too-many'; readonly count: number };

/** The first problem of a label set, or undefined when every label is valid and no key repeats. */
export function labelProblem(labels: readonly Label[]): LabelProblem | undefined {
  const seen = new Set<string>();
  for (const [index, { key, value }] of labels.entries()) {
    if (!isValidLabelKey(key)) return { kind: 'key', index, key };
    if (!isValidLabelValue(value)) return { kind: 'value', index, key, value };
    if (seen.has(key)) return { kind: 'duplicate', index, key };
    seen.add(key);
  }
  if (labels.length > MAX_LABELS_PER_SEAT) return { kind: 'too-many', count: labels.length };
  return undefined;
}

/** The problem in words, for error messages. */
export function describeLabelProblem(problem: LabelProblem): string {
  switch (problem.kind) {
    case 'key':
      return `label key ${JSON.stringify(problem.key)} must match ${LABEL_KEY_PATTERN.source}`;
    case 'value':
      return `value ${JSON.stringify(problem.value)} of label ${problem.key} must match ${LABEL_VALUE_PATTERN.source}`;
    case 'duplicate':
      return `label key ${problem.key} appears twice`;
    case 'too-many':
      return `at most ${MAX_LABELS_PER_SEAT} labels per seat, got ${problem.count}`;
  }
}

/** Labels in key order: the one order they are stored and shown in. */
export function sortLabels(labels: readonly Label[]): Label[] {
  return [...labels].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
