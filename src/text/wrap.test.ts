import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { wrapText } from './wrap.ts';

describe('wrapText', () => {
  const cases: ReadonlyArray<{
    text: string;
    width: number;
    indent?: string;
    hanging?: string;
    lines: string[];
  }> = [
    { text: 'aaa bbb ccc', width: 9, indent: '', hanging: '    ', lines: ['aaa bbb', '    ccc'] },
    { text: 'a b c', width: 10, lines: ['a b c'] },
    { text: 'aaa bbb ccc', width: 7, lines: ['aaa bbb', 'ccc'] },
    { text: 'aaa bbb ccc', width: 9, indent: '  ', lines: ['  aaa bbb', '  ccc'] },
    { text: '  spaced   out  ', width: 20, lines: ['spaced out'] },
    { text: 'a --a-very-long-flag b', width: 8, lines: ['a', '--a-very-long-flag', 'b'] },
    { text: '', width: 10, lines: [] },
  ];
  for (const c of cases) {
    it(`wraps ${JSON.stringify(c.text)} at ${c.width}`, () => {
      assert.deepEqual(wrapText(c.text, c.width, c.indent, c.hanging), c.lines);
    });
  }
});
