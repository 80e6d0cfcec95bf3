// The wire contract of both election protocols (SPEC §10), over HTTP/2 and HTTP/1.1, on the in-memory store
// and on Kubernetes Leases (a fake API server): every status code and every envelope field.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROTOCOLS, openClient, type Client, type Reply } from '../http/support.ts';
import { FakeKubeApi } from './fake-kube-api.ts';
import { startOperator, type Operator, type StoreKind } from './operators.ts';

const STORES: readonly StoreKind[] = ['memory', 'kubernetes'];
const INPUTS = { kubernetes: 2, mysql: 1, redis: 1 };

function content(reply: Reply): Record<string, unknown> {
  assert.match(String(reply.headers['content-type']), /^application\/json/);
  return (JSON.parse(reply.body) as { content: Record<string, unknown> }).content;
}

for (const store of STORES) {
  describe(`the election API on the ${store} store`, () => {
    let api: FakeKubeApi | undefined;
    let operator: Operator;
    before(async () => {
      api = store === 'kubernetes' ? await FakeKubeApi.start() : undefined;
      operator = await startOperator(api === undefined ? {} : { api });
    });
    after(async () => {
      await operator.dispose();
      await api?.close();
    });

    for (const protocol of PROTOCOLS) {
      describe(`over ${protocol}`, () => {
        let client: Client;
        before(async () => {
          client = await openClient(protocol, operator.harness.server.mainPort, operator.harness.ca);
        });
        after(() => client.close());
        const post = (path: string, body?: string) =>
          client.send({
            method: 'POST',
            path,
            ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
          });
        const scope = `${store}-${protocol}`;

        it('answers a first campaign with 200 success and the full envelope, without error_code', async () => {
          const reply = await post(`/v1/dk-election?token=tok-${scope}&namespace=prod&id=dk-a`);
          assert.equal(reply.status, 200);
          assert.deepEqual(content(reply), {
            status: 'success',
            namespace: 'prod',
            id: 'dk-a',
            incumbency_id: 'dk-a',
            error_msg: '',
            interval: 3,
            lease_duration: 30,
            epoch: 1,
          });
        });

        it('answers a rival campaign with 200 defeat naming the incumbent', async () => {
          const reply = await post(`/v1/dk-election?token=tok-${scope}&namespace=prod&id=dk-b`);
          assert.equal(reply.status, 200);
          assert.deepEqual(content(reply), {
            status: 'defeat',
            namespace: 'prod',
            id: 'dk-b',
            incumbency_id: 'dk-a',
            error_msg: '',
            interval: 3,
            lease_duration: 30,
            epoch: 1,
          });
        });

        it("renews the holder's heartbeat and defeats anyone else's", async () => {
          const holder = await post(`/v1/dk-election/heartbeat?token=tok-${scope}&namespace=prod&id=dk-a`);
          assert.equal(holder.status, 200);
          assert.equal(content(holder)['status'], 'success');
          const rival = await post(`/v1/dk-election/heartbeat?token=tok-${scope}&namespace=prod&id=dk-b`);
          assert.equal(content(rival)['status'], 'defeat');
          assert.equal(content(rival)['incumbency_id'], 'dk-a');
        });

        it('keeps an empty namespace as its own scope', async () => {
          const reply = await post(`/v1/dk-election?token=tok-${scope}&id=dk-c`);
          assert.deepEqual([content(reply)['status'], content(reply)['namespace']], ['success', '']);
        });

        const missing: readonly [string, string][] = [
          ['token', `/v1/dk-election?namespace=prod&id=dk-a`],
          ['id', `/v1/dk-election/heartbeat?token=tok&namespace=prod`],
          ['token and id', `/v1/dk-election`],
        ];
        for (const [what, path] of missing) {
          it(`answers a request without ${what} with 400 and "token and id cannot be empty"`, async () => {
            const reply = await post(path);
            assert.equal(reply.status, 400);
            const body = content(reply);
            assert.equal(body['status'], 'error');
            assert.equal(body['error_msg'], 'token and id cannot be empty');
            assert.equal(body['epoch'], 0);
            assert.equal(body['incumbency_id'], '');
            assert.equal('error_code' in body, false);
          });
        }

        const oversized: readonly [string, string][] = [
          ['token', `/v1/dk-election?token=${'t'.repeat(1025)}&namespace=prod&id=dk-a`],
          ['namespace', `/v1/dk-election?token=tok&namespace=${'n'.repeat(254)}&id=dk-a`],
          ['id', `/v1/dk-election/heartbeat?token=tok&namespace=prod&id=${'i'.repeat(8192)}`],
        ];
        for (const [parameter, path] of oversized) {
          it(`answers a ${parameter} over its bound with 400 naming it, echoing nothing oversized`, async () => {
            const reply = await post(path);
            assert.equal(reply.status, 400);
            const body = content(reply);
            assert.match(String(body['error_msg']), new RegExp(`^${parameter} is longer than \\d+ bytes$`));
            assert.ok(reply.body.length < 1024, `a ${reply.body.length}-byte answer`);
          });
        }

        it('answers the status probe with 200 {"content":{"status":"ready"}}', async () => {
          const reply = await client.send({ method: 'GET', path: '/v1/dk-election/status' });
          assert.equal(reply.status, 200);
          assert.deepEqual(JSON.parse(reply.body), { content: { status: 'ready' } });
        });

        it('answers a GET campaign with 405 naming POST', async () => {
          const reply = await client.send({ method: 'GET', path: '/v1/dk-election?token=t&id=a' });
          assert.equal(reply.status, 405);
          assert.equal(reply.headers['allow'], 'POST');
        });

        it('answers HEAD /ping with 2xx (DataKit 1.x selects the task election with it)', async () => {
          const reply = await client.send({ method: 'HEAD', path: '/ping' });
          assert.equal(reply.status, 200);
        });

        it('answers a task-election poll with 200 {"allowed_inputs": [...]}', async () => {
          const reply = await post(
            '/v1/datakit/election',
            JSON.stringify({
              namespace: '',
              id: `task-${scope}`,
              timestamp: Date.now(),
              application_inputs: INPUTS,
            }),
          );
          assert.equal(reply.status, 200);
          assert.match(String(reply.headers['content-type']), /^application\/json/);
          const body = JSON.parse(reply.body) as { allowed_inputs: string[] };
          assert.deepEqual(Object.keys(body), ['allowed_inputs']);
          assert.ok(body.allowed_inputs.length > 0);
        });

        it('answers a malformed task-election body with 400 text/plain "Request could not be decoded: ..."', async () => {
          const reply = await post('/v1/datakit/election', '{"id": 42');
          assert.equal(reply.status, 400);
          assert.match(String(reply.headers['content-type']), /^text\/plain/);
          assert.match(reply.body, /^Request could not be decoded: .+\n$/);
        });

        it('answers a task set that differs from the registered one with 400 text/plain naming the difference', async () => {
          const reply = await post(
            '/v1/datakit/election',
            JSON.stringify({ id: `odd-${scope}`, application_inputs: { kubernetes: 2, postgres: 1 } }),
          );
          assert.equal(reply.status, 400);
          assert.match(String(reply.headers['content-type']), /^text\/plain/);
          assert.match(
            reply.body,
            /^Invalid election parameter: mismatched number of tasks, expect 3, got 2 \(missing: mysql, redis; unregistered: postgres\)/,
          );
        });

        it('answers a task-election poll with an id over 253 bytes with 400 text/plain', async () => {
          const reply = await post(
            '/v1/datakit/election',
            JSON.stringify({ id: 'd'.repeat(254), application_inputs: INPUTS }),
          );
          assert.equal(reply.status, 400);
          assert.match(reply.body, /^Invalid election parameter: id is longer than 253 bytes/);
        });

        it('answers a task-election poll without id with 400 text/plain', async () => {
          const reply = await post('/v1/datakit/election', JSON.stringify({ application_inputs: INPUTS }));
          assert.equal(reply.status, 400);
          assert.match(reply.body, /^Invalid election parameter: id cannot be empty/);
        });
      });
    }

    it('exports the election metrics without any token, namespace or DataKit id', async () => {
      const client = await openClient('http/1.1', operator.harness.server.mainPort, operator.harness.ca);
      const reply = await client.send({ method: 'GET', path: '/metrics' });
      client.close();
      assert.match(
        reply.body,
        /^datakit_operator_election_requests_total\{operation="campaign",result="success"\} [1-9]/m,
      );
      assert.match(
        reply.body,
        /^datakit_operator_election_requests_total\{operation="task",result="error"\} [1-9]/m,
      );
      assert.match(
        reply.body,
        /^datakit_operator_election_transitions_total\{reason="first_acquire"\} [1-9]/m,
      );
      assert.match(reply.body, /^datakit_operator_election_scopes [1-9]/m);
      // Refreshed by the collection pass every 5 s, never recomputed by a scrape.
      assert.match(reply.body, /^datakit_operator_election_active_scopes \d+$/m);
      assert.match(reply.body, /^datakit_operator_election_scope_limit_total 0$/m);
      assert.match(reply.body, /^datakit_operator_election_task_members [1-9]/m);
      assert.match(reply.body, /^datakit_operator_election_task_inputs 3$/m);
      assert.match(reply.body, /^datakit_operator_election_cas_conflicts_total\{operation="campaign"\} \d/m);
      assert.match(reply.body, /^datakit_operator_election_storage_errors_total\{operation="campaign"\} \d/m);
      for (const secret of ['tok-', 'prod', 'dk-a', `task-${store}`])
        assert.ok(!reply.body.includes(secret), secret);
    });

    it('never logs a token or an election namespace', () => {
      const text = JSON.stringify(operator.harness.logs);
      for (const secret of ['tok-', '"prod"']) assert.ok(!text.includes(secret), secret);
    });
  });
}

describe('the election API when the Kubernetes store cannot work', () => {
  let api: FakeKubeApi;
  const operators: Operator[] = [];
  before(async () => {
    api = await FakeKubeApi.start();
  });
  after(async () => {
    await Promise.all(operators.map((operator) => operator.dispose()));
    await api.close();
  });
  const start = async () => {
    const operator = await startOperator({ api, waitReady: false });
    operators.push(operator);
    return openClient('http/1.1', operator.harness.server.mainPort, operator.harness.ca);
  };

  it('answers the status probe with 503 rbac_forbidden when a Lease verb is not granted', async () => {
    api.denied.add('update');
    try {
      const client = await start();
      const reply = await client.send({ method: 'GET', path: '/v1/dk-election/status' });
      assert.equal(reply.status, 503);
      const body = JSON.parse(reply.body) as { content: Record<string, unknown> };
      assert.equal(body.content['status'], 'error');
      assert.equal(body.content['error_code'], 'rbac_forbidden');
      assert.match(String(body.content['error_msg']), /leases/);
    } finally {
      api.denied.delete('update');
    }
  });

  it('answers a campaign with 503 rbac_forbidden and the full envelope when creating Leases is forbidden', async () => {
    const client = await start();
    api.denied.add('create');
    try {
      let reply: Reply | undefined;
      for (let attempt = 0; attempt < 100; attempt++) {
        reply = await client.send({ method: 'POST', path: '/v1/dk-election?token=t&namespace=n&id=a' });
        if (JSON.parse(reply.body).content.error_code !== 'cache_not_ready') break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(reply?.status, 503);
      const body = (JSON.parse(reply!.body) as { content: Record<string, unknown> }).content;
      assert.deepEqual(Object.keys(body), [
        'status',
        'namespace',
        'id',
        'incumbency_id',
        'error_msg',
        'error_code',
        'interval',
        'lease_duration',
        'epoch',
      ]);
      assert.equal(body['status'], 'error');
      assert.equal(body['error_code'], 'rbac_forbidden');
    } finally {
      api.denied.delete('create');
    }
  });

  it('answers 503 storage_unavailable when the API server fails the write', async () => {
    const client = await start();
    api.failing.add('create');
    try {
      let reply: Reply | undefined;
      for (let attempt = 0; attempt < 100; attempt++) {
        reply = await client.send({ method: 'POST', path: '/v1/dk-election?token=t2&namespace=n&id=a' });
        if (JSON.parse(reply.body).content.error_code !== 'cache_not_ready') break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(reply?.status, 503);
      assert.equal(JSON.parse(reply!.body).content.error_code, 'storage_unavailable');
    } finally {
      api.failing.delete('create');
    }
  });

  it('answers 503 cache_not_ready, to the probe and to campaigns, while the Lease list keeps failing', async () => {
    api.failing.add('list');
    try {
      const client = await start();
      const status = await client.send({ method: 'GET', path: '/v1/dk-election/status' });
      assert.equal(status.status, 503);
      assert.equal(JSON.parse(status.body).content.error_code, 'cache_not_ready');
      const campaign = await client.send({ method: 'POST', path: '/v1/dk-election?token=t&id=a' });
      assert.equal(campaign.status, 503);
      assert.equal(JSON.parse(campaign.body).content.error_code, 'cache_not_ready');
    } finally {
      api.failing.delete('list');
    }
  });
});
