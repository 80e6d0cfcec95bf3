import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_CONTAINER_NAMES } from './limits.ts';
import { ANNOTATION_CONTAINER_NAMES } from './operator-names.ts';
import { resolveTargetContainers } from './target-containers.ts';
import type { Pod } from '../podspec/types.ts';

function podWith(names: readonly string[], annotation?: string): Pod {
  return {
    metadata: annotation === undefined ? {} : { annotations: { [ANNOTATION_CONTAINER_NAMES]: annotation } },
    spec: { containers: names.map((name) => ({ name })) },
  };
}

describe('resolveTargetContainers', () => {
  it('targets every app container but the operator sidecars and mesh proxies', () => {
    const targets = resolveTargetContainers(podWith(['app', 'istio-proxy', 'datakit-logfwd', 'web']));
    assert.deepEqual(targets.refs, [
      { list: 'containers', index: 0 },
      { list: 'containers', index: 3 },
    ]);
    assert.deepEqual(targets.warnings, []);
  });

  it('narrows to the annotation, warning about names the pod does not have', () => {
    const targets = resolveTargetContainers(podWith(['app', 'web'], 'web, nope'));
    assert.deepEqual(targets.refs, [{ list: 'containers', index: 1 }]);
    assert.match(targets.warnings[0] ?? '', /names "nope", which is not an instrumentable container/);
  });

  it(`accepts exactly ${MAX_CONTAINER_NAMES} names`, () => {
    const names = Array.from({ length: MAX_CONTAINER_NAMES }, (_, i) => `c${i}`);
    const targets = resolveTargetContainers(podWith(['c0'], names.join(',')));
    assert.equal(targets.limitExceeded, undefined);
    assert.deepEqual(targets.refs, [{ list: 'containers', index: 0 }]);
  });

  it('stops at the limit and lists only a few of the unknown names', () => {
    const many = Array.from({ length: 30_000 }, (_, i) => `c${i}`).join(',');
    const over = resolveTargetContainers(podWith(['c0'], many));
    assert.deepEqual(over.refs, []);
    assert.equal(
      over.limitExceeded,
      `annotation ${ANNOTATION_CONTAINER_NAMES} names 30000 containers, more than the limit of ${MAX_CONTAINER_NAMES} per pod`,
    );
    const unknown = Array.from({ length: 200 }, (_, i) => `x${i}`).join(',');
    const warned = resolveTargetContainers(podWith(['app'], unknown));
    assert.match(warned.warnings[0] ?? '', /"x9" and 190 more, which are not instrumentable containers/);
  });
});
