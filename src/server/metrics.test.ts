import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdmissionDecision } from '../admission/types.ts';
import { buildMetrics } from './metrics.ts';

const BUILD = { version: '1.2.3', nodeVersion: 'v20.0.0' };

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const mutated: AdmissionDecision = {
  review: {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: { uid: 'u', allowed: true },
  },
  result: 'mutated',
  outcomes: [
    {
      feature: 'ddtrace',
      status: 'injected',
      reason: 'namespace',
      summary: 'java:img',
      detail: '',
      warnings: [],
    },
    { feature: 'profiler', status: 'skipped', reason: 'not-targeted', detail: '' },
  ],
  warnings: [],
  namespace: 'ns',
  podName: 'p',
  uid: 'u',
  dryRun: false,
};

describe('buildMetrics', () => {
  it('gives every instance its own registry, so two servers can run in one process', async () => {
    const first = buildMetrics(BUILD);
    const second = buildMetrics(BUILD);
    first.recordRejectedAdmission('too_large');
    const text = (await second.render()).body;
    assert.equal(sample(text, 'datakit_operator_admission_requests_total{result="too_large"}'), undefined);
  });

  it('counts admissions by result, injections by feature, outcome and reason, and observes durations', async () => {
    const metrics = buildMetrics(BUILD);
    metrics.recordAdmission(mutated, 0.0004);
    metrics.recordAdmission(mutated, 0.002);
    metrics.recordRejectedAdmission('bad_request');
    const text = (await metrics.render()).body;
    const table: readonly [string, number][] = [
      ['datakit_operator_admission_requests_total{result="mutated"}', 2],
      ['datakit_operator_admission_requests_total{result="bad_request"}', 1],
      ['datakit_operator_injections_total{feature="ddtrace",outcome="injected",reason="namespace"}', 2],
      ['datakit_operator_injections_total{feature="profiler",outcome="skipped",reason="not-targeted"}', 2],
      ['datakit_operator_admission_duration_seconds_bucket{le="0.0005"}', 1],
      ['datakit_operator_admission_duration_seconds_bucket{le="0.0025"}', 2],
      ['datakit_operator_admission_duration_seconds_count', 2],
    ];
    for (const [series, value] of table) assert.equal(sample(text, series), value, series);
  });

  it('tracks config reloads and whether the last one succeeded', async () => {
    const metrics = buildMetrics(BUILD);
    const initial = (await metrics.render()).body;
    assert.equal(sample(initial, 'datakit_operator_config_reloads_total{result="failure"}'), 0);
    assert.equal(sample(initial, 'datakit_operator_config_last_reload_success'), 1);
    metrics.recordConfigReload('failure');
    const failed = (await metrics.render()).body;
    assert.equal(sample(failed, 'datakit_operator_config_reloads_total{result="failure"}'), 1);
    assert.equal(sample(failed, 'datakit_operator_config_last_reload_success'), 0);
    metrics.recordConfigReload('success');
    const recovered = (await metrics.render()).body;
    assert.equal(sample(recovered, 'datakit_operator_config_reloads_total{result="success"}'), 1);
    assert.equal(sample(recovered, 'datakit_operator_config_last_reload_success'), 1);
  });

  it('says per v2 list whether a v1 section overrides it, and clears it when a reload no longer does', async () => {
    const metrics = buildMetrics(BUILD);
    const series = (list: string): string => `datakit_operator_config_v1_overrides_v2{list="${list}"}`;
    assert.equal(sample((await metrics.render()).body, series('ddtraces')), 0);
    metrics.recordV1Overrides(['ddtraces', 'profilers']);
    const overridden = (await metrics.render()).body;
    assert.deepEqual(
      ['ddtraces', 'logfwds', 'profilers'].map((list) => sample(overridden, series(list))),
      [1, 0, 1],
    );
    metrics.recordV1Overrides([]);
    assert.equal(sample((await metrics.render()).body, series('ddtraces')), 0);
  });

  it('counts the log lines dropped so far at each scrape, 0 before any', async () => {
    const metrics = buildMetrics(BUILD);
    const series = 'datakit_operator_log_lines_dropped_total';
    assert.equal(sample((await metrics.render()).body, series), 0);
    let dropped = 3;
    metrics.countDroppedLogLines(() => dropped);
    assert.equal(sample((await metrics.render()).body, series), 3);
    assert.equal(sample((await metrics.render()).body, series), 3, 'counted once, not per scrape');
    dropped = 5;
    assert.equal(sample((await metrics.render()).body, series), 5);
  });

  it('exposes the build info and the default process metrics', async () => {
    const { body, contentType } = await buildMetrics(BUILD).render();
    assert.match(contentType, /^text\/plain/);
    assert.equal(sample(body, 'datakit_operator_build_info{version="1.2.3",node_version="v20.0.0"}'), 1);
    assert.match(body, /^process_resident_memory_bytes /m);
    assert.match(body, /^nodejs_eventloop_lag_seconds /m);
  });
});
