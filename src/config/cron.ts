// Checks the profiler's DK_PROFILE_SCHEDULE at load time: the profiler image runs it as a standard
// 5-field cron expression, and a typo there would otherwise only show up as a profiler that never runs.

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Lower-case names accepted in place of numbers, mapped to their value. */
  readonly names?: Readonly<Record<string, number>>;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const CRON_FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: Object.fromEntries(MONTH_NAMES.map((n, i) => [n, i + 1])) },
  // 7 is Sunday as well as 0, as in every common cron implementation.
  { name: 'day-of-week', min: 0, max: 7, names: Object.fromEntries(WEEKDAY_NAMES.map((n, i) => [n, i])) },
];

const ITEM = /^(?<range>\*|[0-9a-z]+(?:-[0-9a-z]+)?)(?:\/(?<step>[0-9]+))?$/;

// The shorthands of the common cron libraries (Go's robfig/cron, which DataKit's tools use, among them):
// `@hourly` is `0 * * * *`, and so on; `@every 1h30m` repeats at a fixed interval.
const SHORTHANDS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const EVERY = '@every';
/** A Go duration as `@every` takes it: one or more number+unit pairs, e.g. `90s`, `1h30m`, `1.5h`. */
const GO_DURATION =
  /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|ms|s|m|h)(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|ms|s|m|h))*$/;

/**
 * Describes what is wrong with a cron schedule — 5 fields, or a shorthand such as `@hourly` or
 * `@every 30m` — or returns undefined when it is valid.
 */
export function findCronScheduleProblem(expression: string): string | undefined {
  const trimmed = expression.trim();
  if (trimmed.startsWith('@')) return findShorthandProblem(trimmed);
  const fields = expression
    .trim()
    .split(/\s+/)
    .filter((f) => f !== '');
  if (fields.length !== CRON_FIELDS.length) {
    return `expected 5 fields (${CRON_FIELDS.map((f) => f.name).join(' ')}), found ${fields.length}`;
  }
  for (const [i, field] of CRON_FIELDS.entries()) {
    const problem = findFieldProblem(fields[i] ?? '', field);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function findShorthandProblem(text: string): string | undefined {
  if (SHORTHANDS.has(text.toLowerCase())) return undefined;
  const [word, ...rest] = text.split(/\s+/);
  if (word?.toLowerCase() === EVERY) {
    const duration = rest.join('');
    if (rest.length === 1 && GO_DURATION.test(duration) && !/^[0.]+[a-zµ]+$/.test(duration)) return undefined;
    return `"${text}" needs one positive duration after @every, such as "@every 30m" or "@every 1h30m"`;
  }
  return `"${text}" is not a known shorthand (${[...SHORTHANDS].join(', ')}, or "@every <duration>")`;
}

function findFieldProblem(text: string, field: CronField): string | undefined {
  const allowed = `allowed: *, ${field.min}-${field.max}${field.names ? ' or names' : ''}, lists (a,b), ranges (a-b) and steps (*/n)`;
  for (const item of text.split(',')) {
    const match = ITEM.exec(item.toLowerCase());
    const range = match?.groups?.['range'];
    if (range === undefined) return `${field.name} field "${text}" is not valid (${allowed})`;
    const step = match?.groups?.['step'];
    if (step !== undefined && Number(step) < 1) return `${field.name} field "${text}" has a step of 0`;
    if (range === '*') continue;
    const [first, last] = range.split('-');
    const start = fieldValue(first ?? '', field);
    const end = last === undefined ? start : fieldValue(last, field);
    if (start === undefined || end === undefined) {
      return `${field.name} field "${text}" is out of range (${allowed})`;
    }
    if (start > end) return `${field.name} field "${text}" has a range that ends before it starts`;
  }
  return undefined;
}

function fieldValue(token: string, field: CronField): number | undefined {
  const names = field.names ?? {};
  const value = /^[0-9]+$/.test(token)
    ? Number(token)
    : Object.hasOwn(names, token)
      ? names[token]
      : undefined;
  return value !== undefined && value >= field.min && value <= field.max ? value : undefined;
}
