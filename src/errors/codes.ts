// Every error the operator reports carries one of these codes, so that logs, warnings and `explain`
// output can be searched and documented. Format: DKO_ERR_<AREA>_<WHAT>.

export const ErrorCode = {
  CONFIG_SYNTAX: 'DKO_ERR_CONFIG_SYNTAX',
  CONFIG_INVALID: 'DKO_ERR_CONFIG_INVALID',
  CONFIG_FILE: 'DKO_ERR_CONFIG_FILE',
  SELECTOR_PARSE: 'DKO_ERR_SELECTOR_PARSE',
  NAMESPACE_PATTERN: 'DKO_ERR_NAMESPACE_PATTERN',
  REVIEW_BODY: 'DKO_ERR_REVIEW_BODY',
  REVIEW_CONTENT_TYPE: 'DKO_ERR_REVIEW_CONTENT_TYPE',
  REVIEW_TOO_LARGE: 'DKO_ERR_REVIEW_TOO_LARGE',
  MUTATION_FAILED: 'DKO_ERR_MUTATION_FAILED',
  INJECTION_CONFLICT: 'DKO_ERR_INJECTION_CONFLICT',
  ANNOTATION_INVALID: 'DKO_ERR_ANNOTATION_INVALID',
  LIMIT_EXCEEDED: 'DKO_ERR_LIMIT_EXCEEDED',
  TLS: 'DKO_ERR_TLS',
  USAGE: 'DKO_ERR_USAGE',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error as a value: a code for machines, a message for people that says what to change. */
export class OperatorError extends Error {
  readonly code: ErrorCode;
  /** Individual problems, when one error gathers several (e.g. every invalid config key). */
  readonly details: readonly string[];

  constructor(code: ErrorCode, message: string, details: readonly string[] = []) {
    super(message);
    this.name = 'OperatorError';
    this.code = code;
    this.details = details;
  }
}
