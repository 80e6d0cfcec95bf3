// Every corpus item by name: the child processes that measure one item find it here.

import { ADVERSARIAL_ITEMS } from './adversarial.ts';
import type { CorpusItem } from './item.ts';
import { TYPICAL_ITEMS } from './typical.ts';

export const CORPUS: readonly CorpusItem[] = [...TYPICAL_ITEMS, ...ADVERSARIAL_ITEMS];

export function corpusItem(name: string): CorpusItem {
  const item = CORPUS.find((candidate) => candidate.name === name);
  if (item === undefined) throw new Error(`no corpus item named ${JSON.stringify(name)}`);
  return item;
}
