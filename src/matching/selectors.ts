// Kubernetes label selectors (k8s.io/apimachinery/pkg/labels `Parse`), plus the one upstream extension: the
// value of `=`, `==` and `!=` is a glob (`*`, `?`, `[abc]`, see matching/glob.ts), and like upstream it is not
// held to the label-value rules — a value that no label could ever have is accepted with a caution. Parsing
// happens once, at config load; matching runs on every pod creation, so the requirements are kept as data and
// matching is a plain loop.

import { err, ok, type Result } from '../errors/result.ts';
import { globMatcher, parseGlob, type ParsedGlob } from './glob.ts';
import { isLabelValue, isQualifiedName } from '../podspec/k8s-names.ts';

export type SelectorOperator =
  'equals' | 'not-equals' | 'in' | 'not-in' | 'exists' | 'does-not-exist' | 'greater-than' | 'less-than';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

export interface LabelSelector {
  readonly source: string;
  /** Every requirement must hold (comma = AND). Empty for the empty selector, which matches every pod. */
  readonly requirements: readonly LabelRequirement[];
  /** Requirements that hold for no pod, or for every pod, because of a value no label can have. */
  readonly cautions: readonly string[];
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
}

/** A requirement compiled for matching: the value test is decided once, here, not per pod. */
interface CompiledRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly test: (value: string) => boolean;
}

const WHITESPACE = new Set([' ', '\t', '\r', '\n']);
const SYMBOL_CHARS = new Set(['=', '!', '(', ')', ',', '>', '<']);
const TWO_CHAR_SYMBOLS = new Set(['==', '!=']);
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

type TokenKind = 'identifier' | 'symbol' | 'end';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly position: number;
}

// As in the Kubernetes lexer, an identifier is any run of characters that are neither whitespace nor one of
// `=!(),><`; so `*` and other odd characters reach the validators, which then say what is wrong.
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (WHITESPACE.has(ch)) {
      i += 1;
    } else if (SYMBOL_CHARS.has(ch)) {
      const pair = text.slice(i, i + 2);
      const symbol = TWO_CHAR_SYMBOLS.has(pair) ? pair : ch;
      tokens.push({ kind: 'symbol', text: symbol, position: i });
      i += symbol.length;
    } else {
      const start = i;
      while (i < text.length && !WHITESPACE.has(text.charAt(i)) && !SYMBOL_CHARS.has(text.charAt(i))) i += 1;
      tokens.push({ kind: 'identifier', text: text.slice(start, i), position: start });
    }
  }
  tokens.push({ kind: 'end', text: '', position: text.length });
  return tokens;
}

// Thrown only inside this module, by the recursive-descent parser, and turned into a Result by
// parseLabelSelector: callers never see an exception for bad input.
class SelectorSyntaxError {
  constructor(readonly message: string) {}
}

class Parser {
  private index = 0;
  readonly globs = new Map<string, ParsedGlob>();
  readonly cautions: string[] = [];

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    if (this.peek().kind === 'end') return requirements;
    for (;;) {
      requirements.push(this.parseRequirement());
      const next = this.next();
      if (next.kind === 'end') return requirements;
      if (next.text !== ',') throw this.unexpected(next, '"," or the end of the selector');
    }
  }

  private parseRequirement(): LabelRequirement {
    let negated = false;
    let keyToken = this.next();
    if (keyToken.kind === 'symbol' && keyToken.text === '!') {
      negated = true;
      keyToken = this.next();
    }
    if (keyToken.kind !== 'identifier' || isKeyword(keyToken.text)) {
      throw this.unexpected(keyToken, negated ? 'a label key after "!"' : 'a label key or "!"');
    }
    const key = this.validateKey(keyToken);
    const after = this.peek();
    if (after.kind === 'end' || after.text === ',') {
      return { key, operator: negated ? 'does-not-exist' : 'exists', values: [] };
    }
    if (negated) throw this.unexpected(after, '"," or the end of the selector after "!' + key + '"');
    const operatorToken = this.next();
    switch (operatorToken.text) {
      case '=':
      case '==':
        return { key, operator: 'equals', values: [this.parseGlobValue(key, 'equals')] };
      case '!=':
        return { key, operator: 'not-equals', values: [this.parseGlobValue(key, 'not-equals')] };
      case 'in':
        return { key, operator: 'in', values: this.parseValueList() };
      case 'notin':
        return { key, operator: 'not-in', values: this.parseValueList() };
      case '>':
        return { key, operator: 'greater-than', values: [this.parseIntegerValue()] };
      case '<':
        return { key, operator: 'less-than', values: [this.parseIntegerValue()] };
      default:
        throw this.unexpected(operatorToken, 'an operator (=, ==, !=, in, notin, >, <), "," or the end');
    }
  }

  /** `k=` is a valid selector for an empty value, as in Kubernetes. */
  private parseGlobValue(key: string, operator: 'equals' | 'not-equals'): string {
    const token = this.peek();
    if (token.kind === 'end' || token.text === ',') return '';
    this.next();
    if (token.kind !== 'identifier') throw this.unexpected(token, 'a label value');
    const parsed = parseGlob(token.text);
    if (!parsed.ok) throw this.fail(token, `"${token.text}" is not a valid glob: ${parsed.error}`);
    this.globs.set(token.text, parsed.value);
    if (!couldMatchLabelValue(token.text, parsed.value)) {
      const holds = operator === 'equals' ? 'never holds' : 'holds for every pod';
      this.cautions.push(
        `in ${JSON.stringify(this.source)}, "${key}${operator === 'equals' ? '=' : '!='}${token.text}" ${holds}: ` +
          'no label value can match it (label values are at most 63 letters, digits, "-", "_" or ".", ' +
          'starting and ending with a letter or digit)',
      );
    }
    return token.text;
  }

  private parseIntegerValue(): string {
    const token = this.next();
    if (token.kind !== 'identifier') throw this.unexpected(token, 'an integer');
    if (parseInt64(token.text) === undefined) {
      throw this.fail(token, `"${token.text}" is not an integer; ">" and "<" compare whole numbers`);
    }
    return this.validateValue(token);
  }

  // Kubernetes accepts empty members (`in ()`, `in (a,)`, `in (,a)`) and reads them as the empty value.
  private parseValueList(): string[] {
    const open = this.next();
    if (open.text !== '(' || open.kind !== 'symbol')
      throw this.unexpected(open, '"(" to start the value list');
    const values = new Set<string>();
    let expectValue = true;
    for (;;) {
      const token = this.next();
      if (token.kind === 'identifier') {
        if (!expectValue) throw this.unexpected(token, '"," or ")"');
        values.add(this.validateValue(token));
        expectValue = false;
      } else if (token.text === ',' || token.text === ')') {
        if (expectValue) values.add('');
        if (token.text === ')') return [...values];
        expectValue = true;
      } else {
        throw this.unexpected(token, expectValue ? 'a label value, "," or ")"' : '"," or ")"');
      }
    }
  }

  private validateKey(token: Token): string {
    if (!isQualifiedName(token.text)) {
      throw this.fail(
        token,
        `"${token.text}" is not a valid label key: use an optional DNS-subdomain prefix and "/", then at most ` +
          '63 letters, digits, "-", "_" or "." that start and end with a letter or digit',
      );
    }
    return token.text;
  }

  private validateValue(token: Token): string {
    const value = token.text;
    if (!isLabelValue(value)) {
      throw this.fail(
        token,
        `"${value}" is not a valid label value: use at most 63 letters, digits, "-", "_" or "." ` +
          'that start and end with a letter or digit (globs are allowed only after =, == and !=)',
      );
    }
    return value;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? endToken(this.source);
  }

  private next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length) this.index += 1;
    return token;
  }

  private unexpected(token: Token, expected: string): SelectorSyntaxError {
    const found = token.kind === 'end' ? 'end of selector' : `"${token.text}"`;
    return new SelectorSyntaxError(
      `unexpected ${found} at position ${token.position} in ${JSON.stringify(this.source)}: expected ${expected}`,
    );
  }

  private fail(token: Token, problem: string): SelectorSyntaxError {
    return new SelectorSyntaxError(
      `invalid label selector ${JSON.stringify(this.source)} at position ${token.position}: ${problem}`,
    );
  }
}

function endToken(source: string): Token {
  return { kind: 'end', text: '', position: source.length };
}

function isKeyword(text: string): boolean {
  return text === 'in' || text === 'notin';
}

const LABEL_VALUE_CHARACTER = /^[-A-Za-z0-9_.]$/;
const LABEL_VALUE_EDGE = /^[A-Za-z0-9]$/;
const MAX_LABEL_VALUE = 63;

/**
 * A cheap, conservative check: false only when no label value can match — a literal character a label value
 * never has, a literal first or last character a label value cannot start or end with, or, without
 * wildcards, a value that is not a label value. The empty value matches a label set to "".
 */
function couldMatchLabelValue(text: string, glob: ParsedGlob): boolean {
  if (!glob.hasWildcard) return text === '' || isLabelValue(glob.literals);
  if (glob.literals.length > MAX_LABEL_VALUE) return false;
  for (const unit of glob.literals) if (!LABEL_VALUE_CHARACTER.test(unit)) return false;
  const first = glob.runs[0]?.[0];
  const lastRun = glob.runs[glob.runs.length - 1] ?? [];
  const last = lastRun[lastRun.length - 1];
  for (const edge of [first, last]) {
    if (edge !== undefined && 'literal' in edge && !LABEL_VALUE_EDGE.test(edge.literal)) return false;
  }
  return true;
}

function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const n = BigInt(text);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

function compileValueTest(
  requirement: LabelRequirement,
  globs: ReadonlyMap<string, ParsedGlob>,
): (value: string) => boolean {
  const { operator, values } = requirement;
  const first = values[0] ?? '';
  switch (operator) {
    case 'equals':
    case 'not-equals': {
      // Linear in the label's length whatever the pattern (SPEC §15): never a backtracking RegExp.
      const glob = globs.get(first);
      return glob === undefined ? (value) => value === first : globMatcher(glob);
    }
    case 'in':
    case 'not-in': {
      const set = new Set(values);
      return (value) => set.has(value);
    }
    case 'greater-than':
    case 'less-than': {
      const bound = parseInt64(first) ?? 0n;
      const greater = operator === 'greater-than';
      return (value) => {
        const n = parseInt64(value);
        return n !== undefined && (greater ? n > bound : n < bound);
      };
    }
    case 'exists':
    case 'does-not-exist':
      return () => true;
  }
}

// Kubernetes semantics: `!=` and `notin` hold when the key is absent; every other operator needs the key.
function requirementHolds(
  requirement: CompiledRequirement,
  labels: Readonly<Record<string, string>>,
): boolean {
  const present = Object.hasOwn(labels, requirement.key);
  const value = present ? labels[requirement.key] : undefined;
  switch (requirement.operator) {
    case 'exists':
      return present;
    case 'does-not-exist':
      return !present;
    case 'not-equals':
    case 'not-in':
      return typeof value !== 'string' || !requirement.test(value);
    default:
      return typeof value === 'string' && requirement.test(value);
  }
}

/**
 * Parses a Kubernetes label selector. The empty (or all-whitespace) selector matches every pod, exactly as
 * Kubernetes `labels.Parse("")` returns `Everything()`; config validation may choose to reject it earlier.
 * The error is a message for the user that names the position and the problem.
 */
export function parseLabelSelector(text: string): Result<LabelSelector, string> {
  let requirements: LabelRequirement[];
  const parser = new Parser(text, tokenize(text));
  try {
    requirements = parser.parse();
  } catch (error) {
    if (error instanceof SelectorSyntaxError) return err(error.message);
    throw error;
  }
  const compiled: CompiledRequirement[] = requirements.map((requirement) => ({
    key: requirement.key,
    operator: requirement.operator,
    test: compileValueTest(requirement, parser.globs),
  }));
  const noLabels: Readonly<Record<string, string>> = {};
  const selector: LabelSelector = {
    source: text,
    requirements: Object.freeze(
      requirements.map((r) => Object.freeze({ ...r, values: Object.freeze(r.values) })),
    ),
    cautions: Object.freeze([...parser.cautions]),
    matches(labels) {
      const actual = labels ?? noLabels;
      for (const requirement of compiled) {
        if (!requirementHolds(requirement, actual)) return false;
      }
      return true;
    },
  };
  return ok(selector);
}
