// `image_pull_policy` of the container a feature injects (reference §1.8, upstream 1.9.2): a v2 rule key,
// also accepted in the v1 sections. As upstream, a wrong value never stops the operator: it is reported
// and the default is used (`Always` for v2 rules, Kubernetes' own default for v1 sections, as before).

import { describeValue, type Findings } from './findings.ts';

export type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export const IMAGE_PULL_POLICIES: readonly ImagePullPolicy[] = ['Always', 'IfNotPresent', 'Never'];

/** The policy of v2 rules when not set (upstream's only policy before 1.9.2). */
export const V2_DEFAULT_IMAGE_PULL_POLICY: ImagePullPolicy = 'Always';

export function readImagePullPolicy<D extends ImagePullPolicy | undefined>(
  findings: Findings,
  value: unknown,
  path: string,
  fallback: D,
): ImagePullPolicy | D {
  if (value === undefined || value === null || value === '') return fallback;
  const found = IMAGE_PULL_POLICIES.find((policy) => policy === value);
  if (found !== undefined) return found;
  const used = fallback === undefined ? "Kubernetes' default is used" : `${fallback} is used`;
  findings.warning(
    path,
    `${describeValue(value)} is not one of ${IMAGE_PULL_POLICIES.join(', ')} (case-sensitive); ${used}`,
  );
  return fallback;
}
