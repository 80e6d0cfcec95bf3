import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findCronScheduleProblem } from './cron.ts';

describe('findCronScheduleProblem', () => {
  const valid = [
    '0 * * * *',
    '*/5 * * * *',
    '0,30 8-18 * * 1-5',
    '15 3 1 */2 *',
    '0 0 * jan-mar sun',
    '0 0 * DEC SAT',
    '0 0 * * 7',
    '59 23 31 12 0',
    '0-30/10 * * * *',
    '  0   *  * * *  ',
    '@hourly',
    '@daily',
    '@midnight',
    '@weekly',
    '@monthly',
    '@yearly',
    '@annually',
    '@HOURLY',
    '@every 30m',
    '@every 1h30m',
    '@every 1.5h',
  ];
  for (const expression of valid) {
    it(`accepts ${JSON.stringify(expression)}`, () =>
      assert.equal(findCronScheduleProblem(expression), undefined));
  }

  const invalid: readonly [expression: string, problem: string][] = [
    ['', 'expected 5 fields (minute hour day-of-month month day-of-week), found 0'],
    ['0 * * *', 'expected 5 fields (minute hour day-of-month month day-of-week), found 4'],
    ['0 0 * * * *', 'found 6'],
    ['@fortnightly', '"@fortnightly" is not a known shorthand (@yearly, @annually'],
    ['@every', 'needs one positive duration after @every'],
    ['@every 0s', 'needs one positive duration'],
    ['@every 10', 'needs one positive duration'],
    ['@every 1h 30m', 'needs one positive duration'],
    ['60 * * * *', 'minute field "60" is out of range'],
    ['0 24 * * *', 'hour field "24" is out of range'],
    ['0 0 0 * *', 'day-of-month field "0" is out of range'],
    ['0 0 32 * *', 'day-of-month field "32" is out of range'],
    ['0 0 * 13 *', 'month field "13" is out of range'],
    ['0 0 * foo *', 'month field "foo" is out of range'],
    ['0 0 * * 8', 'day-of-week field "8" is out of range'],
    ['0 0 * * jan', 'day-of-week field "jan" is out of range'],
    ['*/0 * * * *', 'minute field "*/0" has a step of 0'],
    ['30-10 * * * *', 'minute field "30-10" has a range that ends before it starts'],
    ['1,,2 * * * *', 'minute field "1,,2" is not valid'],
    ['? * * * *', 'minute field "?" is not valid'],
    ['0 0 * * constructor', 'day-of-week field "constructor" is out of range'],
  ];
  for (const [expression, problem] of invalid) {
    it(`rejects ${JSON.stringify(expression)}: ${problem}`, () => {
      const found = findCronScheduleProblem(expression);
      assert.ok(found?.includes(problem), `got ${found}`);
    });
  }
});
