// Shared by the install tests: the helm binary (Helm 4 from scripts/ensure-helm.sh, or the one named by
// DATAKIT_TEST_HELM; a missing helm FAILS the tests, it never skips them), rendering the chart, and
// reading the objects of a manifest.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const CHART_DIR = join(ROOT, 'charts/datakit-operator');
export const CI_VALUES_DIR = join(CHART_DIR, 'ci');
export const DEPLOY_MANIFEST = join(ROOT, 'deploy/datakit-operator.yaml');
export const RENDER_SCRIPT = join(ROOT, 'scripts/render-manifest.sh');
/** Fetching helm takes seconds; the bound only keeps a stuck registry from hanging the tier. */
export const HELM_TIMEOUT_MS = 30 * 60 * 1000;

export type KubeObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
};

let helm: string | undefined;

/**
 * Another helm for the whole tier, e.g. CI's Helm 3 build (scripts/ensure-helm3.sh): the chart must work
 * with both majors.
 */
export const HELM_OVERRIDE_VARIABLE = 'DATAKIT_TEST_HELM';

/** The path of a working helm, from scripts/ensure-helm.sh; fails the calling test when there is none. */
export function helmBinary(): string {
  if (helm !== undefined) return helm;
  const override = process.env[HELM_OVERRIDE_VARIABLE];
  if (override !== undefined && override !== '') {
    if (!existsSync(override)) assert.fail(`${HELM_OVERRIDE_VARIABLE}=${override}: no such file`);
    helm = override;
    return override;
  }
  const result = spawnSync('bash', [join(ROOT, 'scripts/ensure-helm.sh')], {
    encoding: 'utf8',
    timeout: HELM_TIMEOUT_MS,
  });
  const path = result.stdout.trim().split('\n').at(-1) ?? '';
  if (result.status !== 0 || !existsSync(path)) {
    assert.fail(`scripts/ensure-helm.sh did not provide helm (exit ${result.status}):\n${result.stderr}`);
  }
  helm = path;
  return path;
}

export interface HelmRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runHelm(args: readonly string[]): HelmRun {
  const result = spawnSync(helmBinary(), args, { encoding: 'utf8', cwd: ROOT, timeout: 120_000 });
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

export interface TemplateOptions {
  readonly release?: string;
  readonly namespace?: string;
  /** Files under charts/datakit-operator/ci. */
  readonly valuesFiles?: readonly string[];
  readonly set?: readonly string[];
  /** `--set-json` values (for strings that `--set` would parse as lists, such as `{}`). */
  readonly setJson?: readonly string[];
}

export function helmTemplate(options: TemplateOptions = {}, chartDir = CHART_DIR): HelmRun {
  return runHelm([
    'template',
    options.release ?? 'datakit-operator',
    chartDir,
    '--namespace',
    options.namespace ?? 'datakit',
    ...(options.valuesFiles ?? []).flatMap((file) => ['-f', join(CI_VALUES_DIR, file)]),
    ...(options.set ?? []).flatMap((value) => ['--set', value]),
    ...(options.setJson ?? []).flatMap((value) => ['--set-json', value]),
  ]);
}

export function renderChart(options: TemplateOptions = {}): KubeObject[] {
  const run = helmTemplate(options);
  assert.equal(run.status, 0, `helm template failed:\n${run.stderr}`);
  return parseManifest(run.stdout);
}

export function parseManifest(text: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const document of parseAllDocuments(text)) {
    assert.deepEqual(document.errors, [], 'every YAML document parses');
    const value: unknown = document.toJS();
    if (value !== null && value !== undefined) objects.push(value as KubeObject);
  }
  return objects;
}

export function readDeployManifest(): string {
  return readFileSync(DEPLOY_MANIFEST, 'utf8');
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

export function ofKind(objects: readonly KubeObject[], kind: string): KubeObject[] {
  return objects.filter((object) => object.kind === kind);
}

export function theOne(objects: readonly KubeObject[], kind: string): KubeObject {
  const found = ofKind(objects, kind);
  assert.equal(found.length, 1, `exactly one ${kind}`);
  return found[0] as KubeObject;
}

/** Runs the render script to stdout (what deploy/datakit-operator.yaml must equal). */
export function renderDeployManifest(): string {
  helmBinary();
  return execFileSync('bash', [RENDER_SCRIPT, '-'], { encoding: 'utf8', cwd: ROOT, timeout: 120_000 });
}

const NOTES_TEMPLATE = 'templates/notes-under-test.yaml';

/**
 * What `helm install` prints as NOTES for these values. `helm template` never renders NOTES.txt and Helm
 * 3's `install --dry-run` needs a cluster, so a copy of the chart (in a temp dir) carries NOTES.txt inside
 * a template of its own that renders it as one string.
 */
export function renderNotes(options: TemplateOptions = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'datakit-chart-notes-'));
  try {
    const copy = join(dir, 'datakit-operator');
    cpSync(CHART_DIR, copy, { recursive: true });
    const notes = readFileSync(join(CHART_DIR, 'templates/NOTES.txt'), 'utf8');
    writeFileSync(
      join(copy, NOTES_TEMPLATE),
      `{{- define "notes-under-test" }}${notes}{{- end }}\nnotes: {{ include "notes-under-test" . | toJson }}\n`,
    );
    const run = helmTemplate(options, copy);
    assert.equal(run.status, 0, `helm template failed:\n${run.stderr}`);
    const rendered = parseManifest(run.stdout).find((object) => 'notes' in object);
    assert.ok(rendered, 'the NOTES template rendered');
    return (rendered as unknown as { notes: string }).notes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
