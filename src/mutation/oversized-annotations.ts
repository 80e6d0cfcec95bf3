// A pod whose own annotations are already over the API server's limit is refused by the API server
// whatever the webhook answers (mutating admission runs before validation). Planning for it would only
// cost: annotations are the input a hostile pod makes large, and a 1.3 MB `logfwd.instances` takes tens of
// milliseconds to parse and check (SPEC §15). So the features it asks for are skipped at once, with a
// warning that says why the pod is about to be refused.

import type { Pod } from '../podspec/types.ts';
import { annotationBytes } from './annotation-size.ts';
import { MAX_TOTAL_ANNOTATION_BYTES } from './limits.ts';

/** Why the pod's annotations are over the API server's limit, or undefined when they are within it. */
export function oversizedAnnotations(pod: Readonly<Pod>): string | undefined {
  const annotations = pod.metadata?.annotations;
  if (annotations === undefined || annotations === null) return undefined;
  const bytes = annotationBytes(annotations);
  if (bytes <= MAX_TOTAL_ANNOTATION_BYTES) return undefined;
  return (
    `the pod's annotations are ${bytes} bytes together, more than the API server's limit of ` +
    `${MAX_TOTAL_ANNOTATION_BYTES}: it will refuse the pod, so nothing was injected; shorten the annotations`
  );
}
