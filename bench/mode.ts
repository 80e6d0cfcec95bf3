// Full versus quick mode. Quick mode exists so that CI proves the bench still runs end to end: every
// part runs, with few repetitions and short time caps, and its figures are not meant to be read.

export interface BenchMode {
  readonly quick: boolean;
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

const FULL: BenchMode = {
  quick: false,
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

export function benchMode(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): BenchMode {
  const quick =
    argv.includes('--quick') || (env.BENCH_QUICK !== undefined && !['', '0'].includes(env.BENCH_QUICK));
  return quick ? QUICK : FULL;
}

/** The mode as one command-line word, to hand to the child processes. */
export function modeFlag(mode: BenchMode): string[] {
  return mode.quick ? ['--quick'] : [];
}
