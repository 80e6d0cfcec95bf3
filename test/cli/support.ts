// Runs `inject` / `explain` in-process with a fake io, and builds the manifests the CLI suites feed them.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after } from 'node:test';
import { stringify } from 'yaml';
import { runExplain } from '../../src/cli/explain.ts';
import { runInject } from '../../src/cli/inject.ts';
import type { OfflineCliIo } from '../../src/cli/offline-io.ts';

/** Compares with a committed golden file; UPDATE_GOLDEN=1 rewrites it, so a reviewer sees the change as a diff. */
export function checkOrWriteGolden(path: string, actual: string): void {
  if (process.env['UPDATE_GOLDEN'] === '1') {
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) assert.fail(`${path} is missing: run with UPDATE_GOLDEN=1 and review the new file`);
  assert.equal(actual, readFileSync(path, 'utf8'), `${path} differs (UPDATE_GOLDEN=1 rewrites it)`);
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly stdin?: string;
  readonly env?: Readonly<Record<string, string>>;
}

function fakeIo(options: RunOptions, out: string[], errors: string[]): OfflineCliIo {
  return {
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    stdout: (text) => out.push(text),
    stderr: (text) => errors.push(text),
    env: options.env ?? {},
  };
}

async function capture(
  run: (args: readonly string[], io: OfflineCliIo) => Promise<number>,
  args: readonly string[],
  options: RunOptions,
): Promise<CliRun> {
  const out: string[] = [];
  const errors: string[] = [];
  const code = await run(args, fakeIo(options, out, errors));
  return { code, stdout: out.join(''), stderr: errors.join('') };
}

export function inject(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  return capture(runInject, args, options);
}

export function explain(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  return capture(runExplain, args, options);
}

/**
 * A temporary directory removed when the test file ends. Call it at the top level of a test file:
 * the clean-up hook belongs to whichever test or suite is running when it is registered.
 */
export function useScratchDir(): (name: string, text: string) => string {
  const dir = mkdtempSync(join(tmpdir(), 'dko-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return (name, text) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
}

export function toYamlStream(documents: readonly unknown[]): string {
  return documents.map((document) => stringify(document)).join('---\n');
}

export const JAVA_ANNOTATION = 'admission.datakit/java-lib.version';
export const INJECTED_ANNOTATION = 'admission.datakit/injected';
export const DDTRACE_INIT_CONTAINER = 'datakit-lib-init';

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    containers: Record<string, unknown>[];
    initContainers?: Record<string, unknown>[];
    [key: string]: unknown;
  };
}

/** A pod template asking for the Java agent through the manual's annotation. */
export function javaTemplate(app: string, extraSpec: Record<string, unknown> = {}): PodTemplate {
  return {
    metadata: { labels: { app }, annotations: { [JAVA_ANNOTATION]: '' } },
    spec: { containers: [{ name: app, image: `${app}:1.0` }], ...extraSpec },
  };
}

const RUN_TO_COMPLETION = { restartPolicy: 'Never' };

/** One manifest per workload kind, with where its pod template sits. */
export interface WorkloadCase {
  readonly kind: string;
  readonly manifest: Record<string, unknown>;
  readonly templatePath: readonly string[];
}

function podManifest(app: string, metadata: Record<string, string>): Record<string, unknown> {
  const template = javaTemplate(app);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...metadata, ...template.metadata },
    spec: template.spec,
  };
}

export function workloadCases(): WorkloadCase[] {
  const selector = (app: string) => ({ matchLabels: { app } });
  const meta = (name: string) => ({ name, namespace: 'default' });
  return [
    {
      kind: 'Pod',
      manifest: podManifest('pod', meta('pod')),
      templatePath: [],
    },
    {
      kind: 'Deployment',
      manifest: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta('deploy'),
        spec: { replicas: 2, selector: selector('deploy'), template: javaTemplate('deploy') },
      },
      templatePath: ['spec', 'template'],
    },
    {
      kind: 'DaemonSet',
      manifest: {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: meta('daemon'),
        spec: { selector: selector('daemon'), template: javaTemplate('daemon') },
      },
      templatePath: ['spec', 'template'],
    },
    {
      kind: 'StatefulSet',
      manifest: {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: meta('stateful'),
        spec: { serviceName: 'stateful', selector: selector('stateful'), template: javaTemplate('stateful') },
      },
      templatePath: ['spec', 'template'],
    },
    {
      kind: 'ReplicaSet',
      manifest: {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: meta('replicas'),
        spec: { selector: selector('replicas'), template: javaTemplate('replicas') },
      },
      templatePath: ['spec', 'template'],
    },
    {
      kind: 'Job',
      manifest: {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: meta('job'),
        spec: { backoffLimit: 1, template: javaTemplate('job', RUN_TO_COMPLETION) },
      },
      templatePath: ['spec', 'template'],
    },
    {
      kind: 'CronJob',
      manifest: {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: meta('cron'),
        spec: {
          schedule: '*/5 * * * *',
          jobTemplate: { spec: { template: javaTemplate('cron', { restartPolicy: 'OnFailure' }) } },
        },
      },
      templatePath: ['spec', 'jobTemplate', 'spec', 'template'],
    },
  ];
}

export function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of path) current = (current as Record<string | number, unknown>)[key];
  return current;
}

export function namesOf(containers: unknown): string[] {
  return Array.isArray(containers) ? containers.map((container) => (container as { name: string }).name) : [];
}
