// Full versus quick mode. Quick mode exists so that CI proves the bench still runs end to end: every
// part runs, with few repetitions and short time caps, and its figures are not meant to be read.

/** The parts of the bench, in the order they run; `--only=a,b` runs a subset while working on one. */
export const BENCH_PARTS = [
  'in-process',
  'http',
  'adversarial',
  'startup',
  'election',
  'cluster-pods',
] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

export interface BenchMode {
  readonly quick: boolean;
  /** Which parts run; every part unless `--only` names some. */
  readonly parts: ReadonlySet<BenchPart>;
  /** In-process, typical items: how long each item is measured (after warm-up). */
  readonly typicalBudgetMs: number;
  /** In-process, adversarial items: how long repetitions may take after the first call. */
  readonly adversarialBudgetMs: number;
  /** Adversarial items: a first call longer than this is reported as blocking and not repeated. */
  readonly blockedAfterMs: number;
  /** Hard cap on one adversarial call (the child measuring it, or the HTTP request, is abandoned). */
  readonly adversarialTimeoutMs: number;
  /** HTTP: interleaved repetitions of each h2load run (medians are reported). */
  readonly httpRepetitions: number;
  /** HTTP: the measured h2load run aims at this duration; the request count is derived from the warm-up. */
  readonly httpRunTargetMs: number;
  /** Fewest requests in a measured run (enough for a p99), most (a fast server would take minutes). */
  readonly httpMinRequests: number;
  readonly httpMaxRequests: number;
  /** Requests per connection of the first, calibrating run of each case; it also warms the server up. */
  readonly httpCalibrationPerConnection: number;
  /** The warm-up before each measured run lasts about this long. */
  readonly httpWarmupMs: number;
  /** Start-up: how many times the operator is started. */
  readonly startupRepetitions: number;
}

const ALL_PARTS: ReadonlySet<BenchPart> = new Set(BENCH_PARTS);

const FULL: BenchMode = {
  quick: false,
  parts: ALL_PARTS,
  typicalBudgetMs: 2_000,
  adversarialBudgetMs: 3_000,
  blockedAfterMs: 2_000,
  adversarialTimeoutMs: 20_000,
  httpRepetitions: 3,
  httpRunTargetMs: 2_000,
  httpMinRequests: 200,
  httpMaxRequests: 100_000,
  httpCalibrationPerConnection: 4,
  httpWarmupMs: 300,
  startupRepetitions: 5,
};

const QUICK: BenchMode = {
  quick: true,
  parts: ALL_PARTS,
  typicalBudgetMs: 150,
  adversarialBudgetMs: 100,
  blockedAfterMs: 1_000,
  adversarialTimeoutMs: 3_000,
  httpRepetitions: 1,
  httpRunTargetMs: 100,
  httpMinRequests: 32,
  httpMaxRequests: 2_000,
  httpCalibrationPerConnection: 1,
  httpWarmupMs: 50,
  startupRepetitions: 1,
};

function isBenchPart(name: string): name is BenchPart {
  return (BENCH_PARTS as readonly string[]).includes(name);
}

/** `--only=http,startup` → those parts; a name that is not a part is an error that lists the parts. */
function selectedParts(argv: readonly string[]): ReadonlySet<BenchPart> {
  const only = argv.filter((arg) => arg.startsWith('--only='));
  if (only.length === 0) return ALL_PARTS;
  const names = only.flatMap((arg) => arg.slice('--only='.length).split(',')).filter((name) => name !== '');
  const unknown = names.filter((name) => !isBenchPart(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(
      `--only: unknown part ${unknown.join(', ') || '(none)'}; the parts are ${BENCH_PARTS.join(', ')}`,
    );
  }
  return new Set(names.filter(isBenchPart));
}

export function benchMode(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): BenchMode {
  const quick =
    argv.includes('--quick') || (env.BENCH_QUICK !== undefined && !['', '0'].includes(env.BENCH_QUICK));
  return { ...(quick ? QUICK : FULL), parts: selectedParts(argv) };
}

/** The mode as one command-line word, to hand to the child processes. */
export function modeFlag(mode: BenchMode): string[] {
  return mode.quick ? ['--quick'] : [];
}
