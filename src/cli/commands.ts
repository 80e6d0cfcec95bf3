// Every command, in the order usage lists them (SPEC §13).

import type { Command } from './command.ts';
import { configDefaultCommand } from './config-default.ts';
import { configValidateCommand } from './config-validate.ts';
import { explainCommand } from './explain.ts';
import { injectCommand } from './inject.ts';
import { serveCommand } from './serve.ts';
import { versionCommand } from './version.ts';

export const COMMANDS: readonly Command[] = [
  serveCommand,
  injectCommand,
  explainCommand,
  configValidateCommand,
  configDefaultCommand,
  versionCommand,
];
