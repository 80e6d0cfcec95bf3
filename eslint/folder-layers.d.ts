// Types for folder-layers.js (plain JavaScript, so that eslint.config.js loads it without a TypeScript loader).
import type { Rule } from 'eslint';

export const FOLDER_LAYERS: readonly (readonly string[])[];
export const folderLayersRule: Rule.RuleModule;
