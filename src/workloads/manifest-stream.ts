// Multi-document YAML (JSON is YAML) in, YAML or JSON out, for the offline commands (SPEC §13).
// Reading uses the YAML 1.2 core schema (a JSON superset, so JSON input means exactly what it says) with
// merge keys, which kubectl also honours. Writing quotes every string a YAML 1.1 reader would take for
// something else (`'yes'`, `'1.30'`, `'0123'`): kubectl reads manifests as YAML 1.1, and an annotation
// turned into a boolean is rejected by the API server. Comments are not kept; key order is.

import { LineCounter, parseAllDocuments, stringify, type Document } from 'yaml';
import { err, ok, type Result } from '../errors/result.ts';

export interface ManifestDocument {
  /** 1-based position in the stream, counting empty documents, as a reader counts `---` separators. */
  readonly index: number;
  readonly value: unknown;
}

export interface StreamProblem {
  readonly document: number;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

const YAML_OUTPUT_OPTIONS = {
  version: '1.1',
  // Long annotation values (logfwd's JSON) stay on one line, as the user wrote them.
  lineWidth: 0,
  singleQuote: true,
  // Never invent anchors and aliases for repeated values: manifests are read by tools that reject them.
  aliasDuplicateObjects: false,
} as const;

const JSON_INDENT = 4;

/** Removes the position and the source excerpt the yaml package appends; the caller prints its own. */
function bareMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+:[\s\S]*$/, '').trim();
}

/** Every non-empty document, or the first syntax error with its document, line and column. */
export function parseManifestStream(text: string): Result<ManifestDocument[], StreamProblem> {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { merge: true, lineCounter, prettyErrors: true });
  const documents: ManifestDocument[] = [];
  for (const [position, document] of [...parsed].entries()) {
    const index = position + 1;
    const problem = firstError(document, index, lineCounter);
    if (problem) return err(problem);
    const converted = toValue(document, index, lineCounter);
    if (!converted.ok) return converted;
    if (converted.value !== null && converted.value !== undefined) {
      documents.push({ index, value: converted.value });
    }
  }
  return ok(documents);
}

function firstError(document: Document, index: number, lineCounter: LineCounter): StreamProblem | undefined {
  const error = document.errors[0];
  if (error === undefined) return undefined;
  const position = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
  return { document: index, line: position.line, column: position.col, message: bareMessage(error.message) };
}

/** Resolving aliases can still fail (an undefined anchor, too many aliases): reported where the content starts. */
function toValue(
  document: Document,
  index: number,
  lineCounter: LineCounter,
): Result<unknown, StreamProblem> {
  try {
    return ok(document.toJS());
  } catch (thrown) {
    const start = lineCounter.linePos(document.contents?.range?.[0] ?? document.range?.[0] ?? 0);
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    return err({ document: index, line: start.line, column: start.col, message });
  }
}

/** Documents separated by `---`, as `kubectl` prints several objects. */
export function formatYamlStream(documents: readonly unknown[]): string {
  return documents.map((document) => stringify(document, YAML_OUTPUT_OPTIONS)).join('---\n');
}

/** One object as itself; several as a `v1 List`, which is what `kubectl ... -o json` prints for them. */
export function formatJson(documents: readonly unknown[]): string {
  const output =
    documents.length === 1
      ? documents[0]
      : { apiVersion: 'v1', kind: 'List', items: documents, metadata: { resourceVersion: '' } };
  return `${JSON.stringify(output, null, JSON_INDENT)}\n`;
}
