import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildElectionReply,
  buildMissingParametersReply,
  buildOversizedParameterReply,
  buildStatusReply,
  findOversizedParameter,
} from './central-response.ts';
import { readElectionQuery } from './central-routes.ts';

const TIMING = { leaseDurationSeconds: 30, intervalSeconds: 3 };
const QUERY = { namespace: 'prod', id: 'dk-1' };

describe('buildElectionReply', () => {
  it('answers a success with 200 and every envelope field, without error_code', () => {
    const reply = buildElectionReply(
      { status: 'success', incumbencyId: 'dk-1', epoch: 2, leaseDurationSeconds: 30 },
      QUERY,
      TIMING,
    );
    assert.equal(reply.httpStatus, 200);
    assert.deepEqual(reply.body, {
      content: {
        status: 'success',
        namespace: 'prod',
        id: 'dk-1',
        incumbency_id: 'dk-1',
        error_msg: '',
        interval: 3,
        lease_duration: 30,
        epoch: 2,
      },
    });
  });

  it("reports the Lease's own duration, which may predate a config change", () => {
    const reply = buildElectionReply(
      { status: 'defeat', incumbencyId: 'dk-0', epoch: 1, leaseDurationSeconds: 15 },
      QUERY,
      TIMING,
    );
    assert.equal(reply.body.content.lease_duration, 15);
  });

  for (const code of ['rbac_forbidden', 'cache_not_ready', 'storage_unavailable', 'scope_limit'] as const) {
    it(`answers ${code} with 503, status error and the error_code`, () => {
      const reply = buildElectionReply({ status: 'error', code }, QUERY, TIMING);
      assert.equal(reply.httpStatus, 503);
      assert.equal(reply.body.content.status, 'error');
      assert.equal(reply.body.content.error_code, code);
      assert.match(reply.body.content.error_msg, /^DataKit election coordinator unavailable: /);
    });
  }
});

describe('buildMissingParametersReply', () => {
  it("answers 400 with upstream's message", () => {
    const reply = buildMissingParametersReply({ namespace: '', id: 'dk-1' }, TIMING);
    assert.equal(reply.httpStatus, 400);
    assert.equal(reply.body.content.status, 'error');
    assert.equal(reply.body.content.error_msg, 'token and id cannot be empty');
    assert.equal('error_code' in reply.body.content, false);
  });
});

describe('findOversizedParameter', () => {
  const long = (bytes: number) => 'x'.repeat(bytes);
  const cases: readonly [string, { token: string; namespace: string; id: string }, string | undefined][] = [
    ['parameters at their bounds', { token: long(1024), namespace: long(253), id: long(253) }, undefined],
    ['a token over 1,024 bytes', { token: long(1025), namespace: 'n', id: 'i' }, 'token'],
    ['a namespace over 253 bytes', { token: 't', namespace: long(254), id: 'i' }, 'namespace'],
    ['an id over 253 bytes', { token: 't', namespace: 'n', id: long(254) }, 'id'],
    [
      'an id of 127 two-byte characters (254 bytes)',
      { token: 't', namespace: 'n', id: 'é'.repeat(127) },
      'id',
    ],
  ];
  for (const [what, query, expected] of cases) {
    it(`finds ${expected ?? 'nothing'} for ${what}`, () =>
      assert.equal(findOversizedParameter(query), expected));
  }
});

describe('buildOversizedParameterReply', () => {
  it('answers 400 naming the parameter, without echoing the oversized value', () => {
    const reply = buildOversizedParameterReply('id', { namespace: 'prod', id: 'x'.repeat(8192) }, TIMING);
    assert.equal(reply.httpStatus, 400);
    assert.equal(reply.body.content.error_msg, 'id is longer than 253 bytes');
    assert.equal(reply.body.content.id, '');
    assert.equal(reply.body.content.namespace, 'prod');
  });
});

describe('buildStatusReply', () => {
  it('is 200 ready when the store works', () => {
    assert.deepEqual(buildStatusReply({ ready: true }), {
      httpStatus: 200,
      body: { content: { status: 'ready' } },
    });
  });
  it('is 503 with the error_code otherwise', () => {
    const reply = buildStatusReply({ ready: false, code: 'rbac_forbidden' });
    assert.equal(reply.httpStatus, 503);
    assert.equal(reply.body.content.status, 'error');
    assert.equal('error_code' in reply.body.content && reply.body.content.error_code, 'rbac_forbidden');
  });
});

describe('readElectionQuery', () => {
  const cases: readonly [string | undefined, { token: string; namespace: string; id: string }][] = [
    ['/v1/dk-election?token=T&namespace=N&id=I', { token: 'T', namespace: 'N', id: 'I' }],
    ['/v1/dk-election?id=a%20b&token=t%2Bk', { token: 't+k', namespace: '', id: 'a b' }],
    ['/v1/dk-election?id=first&id=second&token=t', { token: 't', namespace: '', id: 'first' }],
    ['/v1/dk-election', { token: '', namespace: '', id: '' }],
    [undefined, { token: '', namespace: '', id: '' }],
  ];
  for (const [url, expected] of cases) {
    it(`reads ${String(url)}`, () => assert.deepEqual(readElectionQuery(url), expected));
  }
});
