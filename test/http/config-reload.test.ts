import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdmissionReviewResponse } from '../../src/admission/types.ts';
import { decodePatch } from '../support/admission.ts';
import {
  ADMISSION_PATH,
  JSON_HEADERS,
  injectableReview,
  metricValue,
  openClient,
  startTestServer,
  waitFor,
  type TestServer,
} from './support.ts';

function configWithJavaImage(image: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    tls: { mode: 'ephemeral' },
    admission_inject: { ddtrace: { images: { java_agent_image: image } } },
    ...extra,
  });
}

/** Replace the file in one step, as a ConfigMap update does: the watcher never sees a half-written file. */
async function replaceFile(file: string, text: string): Promise<void> {
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
}

describe('config hot reload', () => {
  let dir: string;
  let configFile: string;
  let harness: TestServer;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dko-reload-'));
    configFile = join(dir, 'config.json');
    await writeFile(configFile, configWithJavaImage('registry.example/java-init:v1'));
    harness = await startTestServer({ env: {}, configFile, watch: { pollMs: 100, debounceMs: 20 } });
  });
  after(async () => {
    await harness.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  async function injectedPatchText(): Promise<string> {
    const client = await openClient('http/1.1', harness.server.mainPort, harness.ca);
    const reply = await client.send({
      method: 'POST',
      path: ADMISSION_PATH,
      headers: JSON_HEADERS,
      body: injectableReview(),
    });
    assert.equal(reply.status, 200);
    return JSON.stringify(decodePatch(JSON.parse(reply.body) as AdmissionReviewResponse));
  }

  async function metric(series: string): Promise<number | undefined> {
    const client = await openClient('http/1.1', harness.server.mainPort, harness.ca);
    return metricValue((await client.send({ method: 'GET', path: '/metrics' })).body, series);
  }

  const reloads = (result: string) => `datakit_operator_config_reloads_total{result="${result}"}`;
  const lastSuccess = 'datakit_operator_config_last_reload_success';

  it('starts with the file as written', async () => {
    assert.match(await injectedPatchText(), /registry\.example\/java-init:v1/);
    assert.equal(await metric(reloads('success')), 0);
    assert.equal(await metric(lastSuccess), 1);
  });

  it('applies a valid change to new requests, counts it and applies the new log level', async () => {
    await replaceFile(
      configFile,
      configWithJavaImage('registry.example/java-init:v2', { log_level: 'debug' }),
    );
    await waitFor(async () => (await metric(reloads('success'))) === 1, 'the successful reload');
    assert.match(await injectedPatchText(), /registry\.example\/java-init:v2/);
    assert.equal(await metric(lastSuccess), 1);
    assert.equal(harness.server.logger.level, 'debug');
    assert.ok(harness.logs.some((line) => line.msg === 'configuration reloaded'));
  });

  it('keeps the previous config when the file becomes invalid JSON, and counts the failure', async () => {
    await replaceFile(configFile, '{"admission_inject": {');
    await waitFor(async () => (await metric(reloads('failure'))) === 1, 'the failed reload');
    assert.equal(await metric(lastSuccess), 0);
    assert.match(await injectedPatchText(), /registry\.example\/java-init:v2/);
    const logged = harness.logs.find((line) => line.level === 'error' && /reload rejected/.test(line.msg));
    assert.ok(logged, 'no error log for the rejected reload');
    assert.match(logged.msg, /line 1/);
  });

  it('names every problem of a config that parses but does not validate', async () => {
    const invalid = JSON.stringify({
      log_level: 'loud',
      admission_inject: { ddtrace: { images: { java_agent_image: 'Not An Image' } } },
    });
    await replaceFile(configFile, invalid);
    await waitFor(async () => (await metric(reloads('failure'))) === 2, 'the second failed reload');
    const logged = harness.logs
      .filter((line) => line.level === 'error' && /reload rejected/.test(line.msg))
      .at(-1);
    assert.ok(logged);
    assert.deepEqual((logged['problems'] as string[]).map((problem) => problem.split(':')[0]).sort(), [
      'admission_inject.ddtrace.images.java_agent_image',
      'log_level',
    ]);
    assert.match(await injectedPatchText(), /registry\.example\/java-init:v2/);
  });

  it('applies a config with an entry the Go operator ignored, without that entry, and reports it', async () => {
    const ignoredEntry = configWithJavaImage('registry.example/java-init:v2b', {
      admission_inject: {
        ddtrace: {
          images: { java_agent_image: 'registry.example/java-init:v2b' },
          enabled_namespaces: [{ namespace: 'team-(', language: 'java' }],
        },
      },
    });
    const ignored = 'datakit_operator_config_ignored_entries';
    assert.equal(await metric(ignored), 0);
    await replaceFile(configFile, ignoredEntry);
    await waitFor(async () => (await metric(ignored)) === 1, 'the ignored entry to be counted');
    assert.match(await injectedPatchText(), /registry\.example\/java-init:v2b/);
    const logged = harness.logs.filter((line) => line['ignored'] === true).at(-1);
    assert.ok(logged, 'no log line for the ignored entry');
    assert.equal(logged.level, 'warn');
    assert.match(
      logged.msg,
      /enabled_namespaces\[0\]\.namespace: namespace pattern "team-\(" .*; this entry is ignored/,
    );
  });

  it('recovers with the next valid file', async () => {
    await replaceFile(configFile, configWithJavaImage('registry.example/java-init:v3'));
    await waitFor(async () => (await metric(reloads('success'))) === 3, 'the recovering reload');
    assert.equal(await metric(lastSuccess), 1);
    assert.equal(await metric('datakit_operator_config_ignored_entries'), 0);
    assert.match(await injectedPatchText(), /registry\.example\/java-init:v3/);
  });

  it('says a changed restart-only key needs a restart, counts it apart, and applies the rest', async () => {
    await replaceFile(
      configFile,
      configWithJavaImage('registry.example/java-init:v4', { namespace: 'somewhere-else' }),
    );
    await waitFor(async () => (await metric(reloads('restart_needed'))) === 1, 'the restart-needed reload');
    assert.equal(await metric(reloads('success')), 3, 'not counted as a plain reload');
    assert.equal(await metric(lastSuccess), 1);
    const logged = harness.logs.filter((line) => /needs a restart/.test(line.msg)).at(-1);
    assert.ok(logged, 'no "needs a restart" log line');
    assert.equal(logged.level, 'warn');
    assert.deepEqual(logged['keys'], ['namespace']);
    assert.match(await injectedPatchText(), /registry\.example\/java-init:v4/);
  });
});

describe('a config with entries the Go operator ignored, at start', () => {
  let dir: string;
  let harness: TestServer;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dko-ignored-'));
    const configFile = join(dir, 'config.json');
    const config = configWithJavaImage('registry.example/java-init:v1', {
      admission_inject: {
        ddtrace: {
          images: { java_agent_image: 'registry.example/java-init:v1' },
          enabled_namespaces: [
            { namespace: 'team-(', language: 'java' },
            { namespace: 'legacy', language: 'ruby' },
          ],
        },
      },
    });
    await writeFile(configFile, config);
    harness = await startTestServer({ env: {}, configFile, watch: { pollMs: 100, debounceMs: 20 } });
  });
  after(async () => {
    await harness.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts without them, counts them in the gauge and names each in a warning', async () => {
    const client = await openClient('http/1.1', harness.server.mainPort, harness.ca);
    const body = (await client.send({ method: 'GET', path: '/metrics' })).body;
    assert.equal(metricValue(body, 'datakit_operator_config_ignored_entries'), 2);
    const warned = harness.logs.filter((line) => line['ignored'] === true && line.level === 'warn');
    assert.equal(warned.length, 2, JSON.stringify(warned));
    assert.match(warned[0]?.msg ?? '', /enabled_namespaces\[0\]\.namespace/);
    assert.match(warned[1]?.msg ?? '', /enabled_namespaces\[1\]\.language/);
  });
});
