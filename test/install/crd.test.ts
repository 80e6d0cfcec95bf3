// The ClusterLoggingConfig CRD (issue 15 §2.1): shipped in the chart's crds/ folder and in the plain
// manifest, valid, with upstream's names, and declaring every config field the operator serves, including
// the five upstream's published schema forgot (the API server would prune them: defect L8).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CONFIG_FIELDS } from '../../src/logging-configs/stored-config.ts';
import {
  CLUSTER_LOGGING_CONFIG_CRD,
  CLUSTER_LOGGING_CONFIG_GROUP,
  CLUSTER_LOGGING_CONFIG_KIND,
  CLUSTER_LOGGING_CONFIG_PLURAL,
  CLUSTER_LOGGING_CONFIG_VERSION,
} from '../../src/logging-configs/constants.ts';
import { validateObjects } from './kubernetes-schemas.ts';
import { ofKind, parseManifest, readDeployManifest, ROOT, type KubeObject } from './support.ts';

const CRD_FILE = join(ROOT, 'charts/datakit-operator/crds/clusterloggingconfigs.yaml');
const FIELDS_UPSTREAM_SCHEMA_FORGOT = [
  'service',
  'character_encoding',
  'remove_ansi_escape_codes',
  'from_beginning',
  'from_beginning_threshold_size',
];

interface Schema {
  type?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
}

function crd(): KubeObject & { spec: Record<string, unknown> } {
  return parse(readFileSync(CRD_FILE, 'utf8'));
}

function configItemSchema(object: { spec: Record<string, unknown> }): Schema {
  const versions = object.spec['versions'] as { schema: { openAPIV3Schema: Schema } }[];
  const root = versions[0]?.schema.openAPIV3Schema;
  const item = root?.properties?.['spec']?.properties?.['configs']?.items;
  assert.ok(item, 'spec.configs[] has a schema');
  return item;
}

describe('the ClusterLoggingConfig CRD', () => {
  it('is valid and has upstream names, scope and its one version', () => {
    const object = crd();
    assert.deepEqual(validateObjects([object]), { problems: [], unchecked: [] });
    assert.equal(object.metadata.name, CLUSTER_LOGGING_CONFIG_CRD);
    assert.equal(object.spec['group'], CLUSTER_LOGGING_CONFIG_GROUP);
    assert.equal(object.spec['scope'], 'Cluster');
    assert.deepEqual(object.spec['names'], {
      kind: CLUSTER_LOGGING_CONFIG_KIND,
      listKind: `${CLUSTER_LOGGING_CONFIG_KIND}List`,
      plural: CLUSTER_LOGGING_CONFIG_PLURAL,
      singular: 'clusterloggingconfig',
      shortNames: ['logging'],
    });
    const versions = object.spec['versions'] as { name: string; served: boolean; storage: boolean }[];
    assert.deepEqual(
      versions.map(({ name, served, storage }) => ({ name, served, storage })),
      [{ name: CLUSTER_LOGGING_CONFIG_VERSION, served: true, storage: true }],
    );
  });

  it('declares every config field the operator serves, among them the five upstream forgot', () => {
    const item = configItemSchema(crd());
    const declared = Object.keys(item.properties ?? {}).sort();
    assert.deepEqual(declared, CONFIG_FIELDS.map((field) => field.key).sort());
    for (const field of FIELDS_UPSTREAM_SCHEMA_FORGOT) assert.ok(declared.includes(field), field);
    assert.deepEqual(item.required, ['source', 'type']);
  });

  it('is in the plain manifest exactly as in the chart', () => {
    const shipped = ofKind(parseManifest(readDeployManifest()), 'CustomResourceDefinition');
    assert.deepEqual(shipped, [crd()]);
  });
});
