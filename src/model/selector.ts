import { InvalidSelectorError } from './errors.js';
import { isValidLabelKey, isValidLabelValue } from './labels.js';

/**
 * Label selectors in Kubernetes syntax (SPEC-FLEET section 1): requirements joined by `,` (AND),
 * each one of `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k` (has the key) and `!k`
 * (lacks it). Whitespace between tokens is ignored. The empty selector matches every seat.
 * As in Kubernetes, `!=` and `notin` also match seats without the key. Values inside `( )` are
 * non-empty (an empty value is written `k=`).
 *
 * Hand-written recursive descent: the grammar is six productions, and a library would not give the
 * precise `position`/`expected` that INVALID_SELECTOR reports.
 */

export type Operator = 'eq' | 'neq' | 'in' | 'notin' | 'exists' | 'absent';

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** One value for eq/neq, the set for in/notin, none for exists/absent. */
  readonly values: readonly string[];
}

export interface Selector {
  /** In the order written; all must hold. */
  readonly requirements: readonly Requirement[];
}

/** Longer selectors are refused: they end up in group records and in every list request. */
export const MAX_SELECTOR_LENGTH = 4096;

const KEY_CHAR = /[a-z0-9._/-]/;
const VALUE_CHAR = /[A-Za-z0-9._-]/;
const KEY_TEXT = 'a label key';
const AFTER_KEY = "'=', '==', '!=', 'in', 'notin', ',' or the end";

/** Parses a selector; INVALID_SELECTOR with the position and what was expected there. */
export function parseSelector(text: string): Selector {
  if (text.length > MAX_SELECTOR_LENGTH) {
    throw new InvalidSelectorError(
      text,
      MAX_SELECTOR_LENGTH,
      `the end (at most ${MAX_SELECTOR_LENGTH} characters)`,
    );
  }
  return new Parser(text).selector();
}

class Parser {
  private at = 0;

  constructor(private readonly text: string) {}

  selector(): Selector {
    const requirements: Requirement[] = [];
    this.space();
    if (this.at === this.text.length) return { requirements };
    for (;;) {
      requirements.push(this.requirement());
      this.space();
      if (this.at === this.text.length) return { requirements };
      this.expect(',', "',' or the end");
    }
  }

  private requirement(): Requirement {
    this.space();
    if (this.peek() === '!') {
      this.at++;
      this.space();
      return { key: this.key(), operator: 'absent', values: [] };
    }
    const key = this.key();
    this.space();
    const next = this.peek();
    if (next === undefined || next === ',') return { key, operator: 'exists', values: [] };
    if (next === '=') {
      this.at += this.text.startsWith('==', this.at) ? 2 : 1;
      return { key, operator: 'eq', values: [this.value(true)] };
    }
    if (this.text.startsWith('!=', this.at)) {
      this.at += 2;
      return { key, operator: 'neq', values: [this.value(true)] };
    }
    const word = this.word();
    if (word === 'in' || word === 'notin') {
      this.at += word.length;
      return { key, operator: word, values: this.set() };
    }
    throw this.error(AFTER_KEY);
  }

  private key(): string {
    const start = this.at;
    while (this.at < this.text.length && KEY_CHAR.test(this.text[this.at]!)) this.at++;
    const key = this.text.slice(start, this.at);
    if (!isValidLabelKey(key)) {
      this.at = start;
      throw this.error(key === '' ? KEY_TEXT : `${KEY_TEXT} (^[a-z0-9][a-z0-9._/-]{0,62}$)`);
    }
    return key;
  }

  /** A value after `=`/`!=` may be empty: it then ends at `,` or the end. */
  private value(mayBeEmpty: boolean): string {
    this.space();
    const start = this.at;
    while (this.at < this.text.length && VALUE_CHAR.test(this.text[this.at]!)) this.at++;
    const value = this.text.slice(start, this.at);
    if ((value === '' && !mayBeEmpty) || !isValidLabelValue(value)) {
      this.at = start;
      throw this.error('a label value (^[A-Za-z0-9._-]{1,63}$)');
    }
    if (value === '') {
      this.space();
      if (this.at < this.text.length && this.peek() !== ',')
        throw this.error("a label value, ',' or the end");
    }
    return value;
  }

  private set(): string[] {
    this.space();
    this.expect('(', "'('");
    const values = [this.value(false)];
    for (;;) {
      this.space();
      if (this.peek() === ')') {
        this.at++;
        return values;
      }
      this.expect(',', "',' or ')'");
      values.push(this.value(false));
    }
  }

  /** The key-like run at the cursor, to tell `in`/`notin` from anything else. */
  private word(): string {
    let end = this.at;
    while (end < this.text.length && end - this.at < 6 && KEY_CHAR.test(this.text[end]!)) end++;
    return this.text.slice(this.at, end);
  }

  private expect(char: string, expected: string): void {
    if (this.peek() !== char) throw this.error(expected);
    this.at++;
  }

  private peek(): string | undefined {
    return this.text[this.at];
  }

  private space(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at]!)) this.at++;
  }

  private error(expected: string): InvalidSelectorError {
    return new InvalidSelectorError(this.text, this.at, expected);
  }
}

/** Whether labels (key → value) satisfy every requirement. */
export function matchesSelector(selector: Selector, labels: ReadonlyMap<string, string>): boolean {
  return selector.requirements.every((requirement) => matchesRequirement(requirement, labels));
}

function matchesRequirement(
  { key, operator, values }: Requirement,
  labels: ReadonlyMap<string, string>,
): boolean {
  const value = labels.get(key);
  switch (operator) {
    case 'exists':
      return value !== undefined;
    case 'absent':
      return value === undefined;
    case 'eq':
    case 'in':
      return value !== undefined && values.includes(value);
    case 'neq':
    case 'notin':
      return value === undefined || !values.includes(value);
  }
}

/** The selector written back in one canonical spelling (`k=v`, `k in (a,b)`), for display. */
export function formatSelector(selector: Selector): string {
  return selector.requirements
    .map(({ key, operator, values }) => {
      switch (operator) {
        case 'exists':
          return key;
        case 'absent':
          return `!${key}`;
        case 'eq':
          return `${key}=${values[0]}`;
        case 'neq':
          return `${key}!=${values[0]}`;
        default:
          return `${key} ${operator} (${values.join(',')})`;
      }
    })
    .join(',');
}
