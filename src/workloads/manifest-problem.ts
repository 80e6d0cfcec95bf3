// A manifest field that `inject`/`explain` cannot use: the message starts with the field's path, written
// the way a user points at it (`spec.template.metadata.annotations["admission.datakit/enabled"]`).

import { ErrorCode } from '../errors/codes.ts';
import { problem, type Problem } from '../errors/problem.ts';

/** `path` is empty for the document itself. */
export function manifestProblem(path: string, reason: string): Problem {
  return path === ''
    ? problem(ErrorCode.MANIFEST_INVALID, reason)
    : problem(ErrorCode.MANIFEST_INVALID, `${path}: ${reason}`, path);
}
