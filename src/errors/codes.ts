// Every error the operator reports carries one of these codes, so that logs, warnings, terminal output and
// HTTP error bodies can be searched and documented: docs/error-codes.md has one row per code (a unit test
// keeps the two lists equal, and another fails when a code is used nowhere). Format: DKO_ERR_<AREA>_<WHAT>.

export const ErrorCode = {
  // Configuration (start, `config validate`, hot reload).
  CONFIG_SYNTAX: 'DKO_ERR_CONFIG_SYNTAX',
  CONFIG_INVALID: 'DKO_ERR_CONFIG_INVALID',
  CONFIG_FILE: 'DKO_ERR_CONFIG_FILE',
  // Pod annotations (the pod is admitted, the feature skipped, the reason in a warning).
  ANNOTATION_INVALID: 'DKO_ERR_ANNOTATION_INVALID',
  LIMIT_EXCEEDED: 'DKO_ERR_LIMIT_EXCEEDED',
  // Admission: the mutation failed and the pod was admitted unchanged (fail open).
  MUTATION_FAILED: 'DKO_ERR_MUTATION_FAILED',
  // `inject` / `explain`: a manifest field the offline commands cannot use.
  MANIFEST_INVALID: 'DKO_ERR_MANIFEST_INVALID',
  // Serving certificates.
  TLS: 'DKO_ERR_TLS',
  // HTTP refusals, common to every route.
  HTTP_NOT_FOUND: 'DKO_ERR_HTTP_NOT_FOUND',
  HTTP_METHOD_NOT_ALLOWED: 'DKO_ERR_HTTP_METHOD_NOT_ALLOWED',
  HTTP_BODY_TOO_LARGE: 'DKO_ERR_HTTP_BODY_TOO_LARGE',
  HTTP_CONTENT_TYPE: 'DKO_ERR_HTTP_CONTENT_TYPE',
  HTTP_JSON_MALFORMED: 'DKO_ERR_HTTP_JSON_MALFORMED',
  HTTP_JSON_TOO_DEEP: 'DKO_ERR_HTTP_JSON_TOO_DEEP',
  HTTP_FRAMING: 'DKO_ERR_HTTP_FRAMING',
  HTTP_HEADERS_TOO_LARGE: 'DKO_ERR_HTTP_HEADERS_TOO_LARGE',
  HTTP_TIMEOUT: 'DKO_ERR_HTTP_TIMEOUT',
  HTTP_BUSY: 'DKO_ERR_HTTP_BUSY',
  HTTP_INTERNAL: 'DKO_ERR_HTTP_INTERNAL',
  // Route-specific refusals.
  REVIEW_INVALID: 'DKO_ERR_REVIEW_INVALID',
  NOT_READY: 'DKO_ERR_NOT_READY',
  QUERY_INVALID: 'DKO_ERR_QUERY_INVALID',
  UNAUTHENTICATED: 'DKO_ERR_UNAUTHENTICATED',
  FORBIDDEN: 'DKO_ERR_FORBIDDEN',
  OBJECT_NOT_FOUND: 'DKO_ERR_OBJECT_NOT_FOUND',
  ELECTION_REQUEST_INVALID: 'DKO_ERR_ELECTION_REQUEST_INVALID',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
