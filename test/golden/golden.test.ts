// Golden cases through the real admission handler. Each folder under test/golden/cases holds:
//   case.json            { "description", "request"?: RequestOptions, "serverVersion"?: {major, minor} }
//   pod.json             the object in the AdmissionRequest (a Pod, or another resource)
//   config.json          optional: a config document merged over the defaults
//   expected.patch.json  the JSON Patch the webhook returns ([] when none)
//   expected.pod.json    the pod after the patch (the wire result users see)
//   expected.decision.json  result, warnings and each feature's outcome
// UPDATE_GOLDEN=1 rewrites the expected files so a reviewer sees the change as a diff.
// Every case also proves idempotency: the expected pod sent again yields no patch.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { handleAdmission } from '../../src/admission/handle.ts';
import {
  applyPatch,
  buildReview,
  configFrom,
  decodePatch,
  type RequestOptions,
} from '../support/admission.ts';
import type { ServerVersion } from '../../src/podspec/types.ts';

const casesDir = new URL('./cases/', import.meta.url).pathname;
const update = process.env.UPDATE_GOLDEN === '1';

interface CaseFile {
  readonly description: string;
  readonly request?: RequestOptions;
  readonly serverVersion?: ServerVersion;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function checkOrWrite(path: string, actual: unknown): void {
  const text = `${JSON.stringify(actual, null, 2)}\n`;
  if (update || !existsSync(path)) {
    if (!update) assert.fail(`${path} is missing: run with UPDATE_GOLDEN=1 and review the new file`);
    writeFileSync(path, text);
    return;
  }
  assert.deepEqual(actual, readJson(path), `${path} differs (UPDATE_GOLDEN=1 rewrites it)`);
}

const caseNames = readdirSync(casesDir).filter((name) => existsSync(join(casesDir, name, 'case.json')));

describe('golden admission cases', () => {
  it('has cases', () => assert.ok(caseNames.length >= 20, `only ${caseNames.length} golden cases`));

  for (const name of caseNames.sort()) {
    const dir = join(casesDir, name);
    const spec = readJson(join(dir, 'case.json')) as CaseFile;
    it(`${name}: ${spec.description}`, () => {
      const pod = readJson(join(dir, 'pod.json'));
      const configPath = join(dir, 'config.json');
      const config = configFrom(existsSync(configPath) ? readJson(configPath) : {});
      const deps = { config, serverVersion: spec.serverVersion };
      const decision = handleAdmission(buildReview(pod, spec.request), deps);

      assert.equal(decision.review.response.uid, buildReview(pod, spec.request).request.uid);
      assert.equal(decision.review.response.allowed, true);
      const patch = decodePatch(decision.review);
      assert.equal(decision.review.response.patchType, patch.length > 0 ? 'JSONPatch' : undefined);
      const result = applyPatch(pod, patch);

      checkOrWrite(join(dir, 'expected.patch.json'), patch);
      checkOrWrite(join(dir, 'expected.pod.json'), result);
      checkOrWrite(join(dir, 'expected.decision.json'), {
        result: decision.result,
        responseWarnings: decision.review.response.warnings ?? [],
        outcomes: decision.outcomes.map((outcome) => ({
          feature: outcome.feature,
          status: outcome.status,
          reason: outcome.reason,
          detail: outcome.detail,
        })),
      });

      const again = handleAdmission(buildReview(result, spec.request), deps);
      assert.deepEqual(decodePatch(again.review), [], 'a second pass over the result must change nothing');
    });
  }
});
