// The operator the main webhook points at: one process at a time, restartable on the same port with the
// same certificate files, and reconfigured by rewriting its --config file (hot reload, SPEC §2).

import { rename, writeFile } from 'node:fs/promises';
import type { OperatorConfig } from '../../../src/config/types.ts';
import { configFrom } from '../../support/admission.ts';
import { RELOAD_REJECTED_PREFIX, RELOADED_MESSAGE } from './operator-log.ts';
import {
  buildOperatorConfigDocument,
  type AdmissionInjectDocument,
  type OperatorRuntime,
} from './operator-config.ts';
import { OperatorProcess, type OperatorProcessOptions } from './operator-process.ts';

const RELOAD_TIMEOUT_MS = 30_000;

export class MainOperator {
  private current: OperatorProcess | undefined;
  private document: AdmissionInjectDocument = {};
  private writtenText: string | undefined;
  /** Seconds each start took until /readyz answered 200. */
  readonly startSeconds: number[] = [];

  constructor(
    readonly runtime: OperatorRuntime,
    readonly mainPort: number,
    private readonly processOptions: OperatorProcessOptions,
  ) {}

  get process(): OperatorProcess {
    if (!this.current) throw new Error('the main operator is not running');
    return this.current;
  }

  /** The configuration the operator runs with, as the pure core receives it. */
  config(): OperatorConfig {
    return configFrom(buildOperatorConfigDocument(this.runtime, this.document));
  }

  async start(): Promise<void> {
    if (this.current?.running) throw new Error('the main operator is already running');
    await this.writeConfigFile();
    const started = performance.now();
    this.current = await OperatorProcess.start(this.processOptions);
    this.startSeconds.push((performance.now() - started) / 1000);
  }

  async stop(): Promise<void> {
    await this.current?.stop();
  }

  /**
   * Makes `admissionInject` the operator's configuration and returns once the running operator has
   * reloaded it, so that the next admission request is decided with it.
   */
  async useConfig(admissionInject: AdmissionInjectDocument): Promise<void> {
    this.document = structuredClone(admissionInject);
    const operator = this.current?.running ? this.current : undefined;
    const from = operator?.entries.length ?? 0;
    if (!(await this.writeConfigFile()) || !operator) return;
    const outcome = await operator.waitForEntry(
      (entry) => entry.msg === RELOADED_MESSAGE || (entry.msg?.startsWith(RELOAD_REJECTED_PREFIX) ?? false),
      'a configuration reload',
      RELOAD_TIMEOUT_MS,
      from,
    );
    if (outcome.msg !== RELOADED_MESSAGE) {
      throw new Error(
        `the operator rejected the journey's configuration: ${outcome.msg}\n${operator.describe()}`,
      );
    }
  }

  /** Writes the file when its content changes, by rename (the watcher must never read half a file). */
  private async writeConfigFile(): Promise<boolean> {
    const text = `${JSON.stringify(buildOperatorConfigDocument(this.runtime, this.document), null, 2)}\n`;
    if (text === this.writtenText) return false;
    const file = this.processOptions.configFile;
    await writeFile(`${file}.partial`, text);
    await rename(`${file}.partial`, file);
    this.writtenText = text;
    return true;
  }
}
