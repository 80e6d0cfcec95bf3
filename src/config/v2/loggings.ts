// Reading `admission_mutate.loggings` (upstream 1.5.11+, reference §3): rules that write DataKit's
// container-log annotation `datakit/logs` into matching pods and give each logged directory an emptyDir.
// The rule's `config` is parsed at load, so a mistake is reported with its key path instead of being found
// (and skipped) pod by pod, and the directories to mount are computed once.

import { posix } from 'node:path';
import { hasSelectors, type V2RuleTarget } from '../../matching/v2-rules.ts';
import { childPath, describeValue, type Findings } from '../findings.ts';
import { openSection, readArray, readRecord, readString, type Section } from '../field-readers.ts';
import type { JsonRecord } from '../merge.ts';
import { readLogEntries } from './log-entries.ts';
import { readRuleTarget } from './schema.ts';

export const MUTATE_SECTION = 'admission_mutate';

export interface LoggingRule extends V2RuleTarget {
  /** Written verbatim as the pod annotation `datakit/logs`. */
  readonly config: string;
  /** The directories of the enabled `file` entries, in order, without duplicates. */
  readonly mount_dirs: readonly string[];
}

export interface MutateConfig {
  readonly loggings: readonly LoggingRule[];
}

const LOGGING_KEYS = ['name', 'namespace_selectors', 'label_selectors', 'config'];

export function readMutateConfig(findings: Findings, merged: JsonRecord): MutateConfig {
  if (!Object.hasOwn(merged, MUTATE_SECTION)) return { loggings: [] };
  const section = openSection(findings, merged[MUTATE_SECTION], MUTATE_SECTION, ['loggings']);
  if (!Object.hasOwn(section.record, 'loggings')) return { loggings: [] };
  const path = childPath(MUTATE_SECTION, 'loggings');
  const entries = readArray(findings, section.record['loggings'], path) ?? [];
  const loggings: LoggingRule[] = [];
  for (const [index, raw] of entries.entries()) {
    const rulePath = childPath(path, index);
    const record = readRecord(findings, raw, rulePath, LOGGING_KEYS);
    if (record === undefined) continue;
    const rule = openSection(findings, record, rulePath);
    const target = readRuleTarget(rule);
    if (!hasSelectors(target)) {
      findings.warning(
        rulePath,
        'has neither namespace_selectors nor label_selectors, so it never matches; add one (["*"] is every namespace)',
      );
      continue;
    }
    const parsed = readLoggingConfig(rule);
    if (parsed === undefined) continue;
    loggings.push({ ...target, ...parsed });
  }
  return { loggings };
}

/** The rule's `config`, or undefined when the rule can do nothing (reported). */
function readLoggingConfig(rule: Section): { config: string; mount_dirs: string[] } | undefined {
  const path = childPath(rule.path, 'config');
  const text = Object.hasOwn(rule.record, 'config')
    ? readString(rule.findings, rule.record['config'], path)
    : '';
  if (text === undefined) return undefined;
  if (text.trim() === '') {
    rule.findings.warning(
      path,
      'is empty, so this rule never changes a pod; set it to the datakit/logs annotation text',
    );
    return undefined;
  }
  const entries = readLogEntries(rule.findings, text, path, {
    purpose: '; it must be the JSON array DataKit reads from datakit/logs',
    example: '[{"type":"file","path":"/var/log/app/*.log","source":"app"}]',
  });
  if (entries === undefined) return undefined;
  const dirs: string[] = [];
  for (const { index, path: filePath } of entries.files) {
    if (typeof filePath !== 'string') {
      rule.findings.error(path, `entry ${index} is a file entry without a string "path"`);
      continue;
    }
    const dir = logDirectory(filePath);
    if (!dir.startsWith('/') || dir === '/') {
      rule.findings.error(
        path,
        `entry ${index}: the directory of ${describeValue(filePath)} is ${describeValue(dir)}, which cannot be mounted; use an absolute path below a directory other than /`,
      );
      continue;
    }
    if (!dirs.includes(dir)) dirs.push(dir);
  }
  return { config: text, mount_dirs: dirs };
}

/**
 * The directory to mount for a log file path, as upstream computes it: for a glob, the parent of the text
 * before the first `*`; otherwise the file's parent. Go's `filepath.Dir` semantics: `/var/log/opt/` → `/var/log/opt`.
 */
export function logDirectory(filePath: string): string {
  const star = filePath.indexOf('*');
  const text = star >= 0 ? filePath.slice(0, star) : filePath;
  const slash = text.lastIndexOf('/');
  if (slash < 0) return '.';
  const dir = posix.normalize(text.slice(0, slash + 1));
  return dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
}
