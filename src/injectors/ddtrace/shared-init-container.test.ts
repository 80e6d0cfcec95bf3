import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { configFrom } from '../../../test/support/admission.ts';
import { mutatePod } from '../../mutation/mutate-pod.ts';
import { sharedValueText } from '../../podspec/shared-values.ts';
import type { Container, Pod, SecurityContext } from '../../podspec/types.ts';
import { FEATURES } from '../registry.ts';
import { INIT_CONTAINER_NAME } from './constants.ts';

const ctx = { namespace: 'default', config: configFrom(), serverVersion: undefined };

function javaPod(version: string, securityContext?: SecurityContext): Pod {
  return {
    metadata: { name: 'p', annotations: { 'admission.datakit/java-lib.version': version } },
    spec: { ...(securityContext ? { securityContext } : {}), containers: [{ name: 'app' }] },
  };
}

function initContainer(pod: Pod): Container {
  const container = mutatePod(pod, ctx, FEATURES).pod.spec?.initContainers?.find(
    (candidate) => candidate.name === INIT_CONTAINER_NAME,
  );
  assert.ok(container, 'the init container was added');
  return container;
}

describe('the DDTrace init container', () => {
  it('is one shared, frozen object for pods with the same settings and nothing of theirs to copy', () => {
    const first = initContainer(javaPod(''));
    assert.equal(initContainer(javaPod('')), first);
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first.securityContext));
    assert.equal(sharedValueText(first), JSON.stringify(first));
  });

  it("is the pod's own when the pod's user is copied into it", () => {
    const own = initContainer(javaPod('', { runAsNonRoot: true, runAsUser: 1000 }));
    assert.equal(own.securityContext?.runAsUser, 1000);
    assert.equal(own.securityContext?.runAsNonRoot, true);
    assert.notEqual(initContainer(javaPod('', { runAsNonRoot: true, runAsUser: 1000 })), own);
    assert.equal(sharedValueText(own), undefined);
  });

  it('is still right, only no longer shared, past the bound on images kept', () => {
    const tags = Array.from({ length: 40 }, (_, index) => `v1.${index}.0`);
    const containers = tags.map((tag) => initContainer(javaPod(tag)));
    containers.forEach((container, index) =>
      assert.match(container.image ?? '', new RegExp(`:${tags[index]}$`)),
    );
    const last = tags.at(-1) as string;
    assert.notEqual(
      initContainer(javaPod(last)),
      initContainer(javaPod(last)),
      'a tag past the bound is built each time',
    );
  });
});
