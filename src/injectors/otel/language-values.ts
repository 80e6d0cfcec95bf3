// The value of the variable that loads each OpenTelemetry agent (reference §1.3, §1.4 step 7), as pure
// string functions: what the value becomes with the agent, and why a value cannot take the agent.
// Unlike upstream, NODE_OPTIONS never gets a leading space, and a value upstream wrote with one is
// recognised as injected (defect O1); a blank value counts as empty, so no value starts with a separator.

import {
  DDTRACE_JAVA_AGENT_MARKER,
  DDTRACE_MOUNT,
  DDTRACE_MOUNT_PATHS,
  DDTRACE_NODE_INIT,
  DDTRACE_NODE_INIT_SUFFIX,
  JAVA_AGENT_OPTION,
  NODEJS_MOUNT_MARKER,
  NODEJS_REQUIRE_FLAG,
  NODEJS_REQUIRE_PATH,
  PYTHON_MOUNT_PATH,
  PYTHON_PATH_PREFIX,
} from './constants.ts';

/** Why a value cannot take the agent; `ddtrace`: because it loads DDTrace, the other tracer. */
export interface ValueConflict {
  readonly problem: string;
  readonly ddtrace: boolean;
}

/**
 * One language's edit. `inject`: the value with the agent, or undefined when the agent is already in it
 * (undefined `current`: the variable is not set). `conflict`: why the value cannot take the agent.
 */
export interface LanguageValue {
  readonly inject: (current: string | undefined) => string | undefined;
  readonly conflict: (value: string) => ValueConflict | undefined;
}

const ddtrace = (problem: string): ValueConflict => ({ problem, ddtrace: true });
const malformed = (problem: string): ValueConflict => ({ problem, ddtrace: false });

function isBlank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

function words(value: string): string[] {
  return value.split(/\s+/).filter((word) => word !== '');
}

function count<T>(items: readonly T[], item: T): number {
  return items.filter((candidate) => candidate === item).length;
}

// ---- Java: JAVA_TOOL_OPTIONS, options separated by whitespace

export const JAVA_VALUE: LanguageValue = {
  inject(current) {
    if (current === undefined || isBlank(current)) return JAVA_AGENT_OPTION;
    if (words(current).includes(JAVA_AGENT_OPTION)) return undefined;
    return `${current} ${JAVA_AGENT_OPTION}`;
  },
  conflict(value) {
    return value.includes(DDTRACE_JAVA_AGENT_MARKER)
      ? ddtrace(`it loads DDTrace's Java agent (${DDTRACE_JAVA_AGENT_MARKER})`)
      : undefined;
  },
};

// ---- Python: PYTHONPATH, directories separated by ":"; ours is PREFIX first and the mount last

const PYTHON_OWN_COMPONENTS: ReadonlySet<string> = new Set([
  PYTHON_PATH_PREFIX,
  `${PYTHON_PATH_PREFIX}/`,
  PYTHON_MOUNT_PATH,
  `${PYTHON_MOUNT_PATH}/`,
]);

/** The exact form we write: the prefix first, the mount last, each exactly once. */
function isPythonInjected(components: readonly string[]): boolean {
  return (
    components.length >= 2 &&
    components[0] === PYTHON_PATH_PREFIX &&
    components[components.length - 1] === PYTHON_MOUNT_PATH &&
    count(components, PYTHON_PATH_PREFIX) === 1 &&
    count(components, PYTHON_MOUNT_PATH) === 1
  );
}

export const PYTHON_VALUE: LanguageValue = {
  inject(current) {
    if (current === undefined || isBlank(current)) return `${PYTHON_PATH_PREFIX}:${PYTHON_MOUNT_PATH}`;
    if (isPythonInjected(current.split(':'))) return undefined;
    return `${PYTHON_PATH_PREFIX}:${current}:${PYTHON_MOUNT_PATH}`;
  },
  conflict(value) {
    const components = value.split(':');
    if (components.some((component) => DDTRACE_MOUNT_PATHS.includes(component))) {
      return ddtrace(`it names DDTrace's directory ${DDTRACE_MOUNT}`);
    }
    if (components.some((c) => PYTHON_OWN_COMPONENTS.has(c)) && !isPythonInjected(components)) {
      return malformed(
        `it names ${PYTHON_MOUNT_PATH} but not in the form the operator writes (${PYTHON_PATH_PREFIX} first, ${PYTHON_MOUNT_PATH} last)`,
      );
    }
    return undefined;
  },
};

// ---- Node.js: NODE_OPTIONS, options separated by whitespace; ours is the pair `--require <path>`

const NODE_REQUIRE = `${NODEJS_REQUIRE_FLAG} ${NODEJS_REQUIRE_PATH}`;

function otelRequirePairs(optionWords: readonly string[]): number {
  return optionWords.filter(
    (word, at) => word === NODEJS_REQUIRE_FLAG && optionWords[at + 1] === NODEJS_REQUIRE_PATH,
  ).length;
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

/** The modules `--require X`, `-r X`, `--require=X` and `-r=X` name, unquoted, without a trailing `.js`. */
function requiredModules(optionWords: readonly string[]): string[] {
  const modules: string[] = [];
  for (const [at, word] of optionWords.entries()) {
    const next = optionWords[at + 1];
    if ((word === '--require' || word === '-r') && next !== undefined) modules.push(next);
    const joined = /^(?:--require|-r)=(.*)$/s.exec(word)?.[1];
    if (joined !== undefined) modules.push(joined);
  }
  return modules.map((module) => module.replace(/^["']+|["']+$/g, '').replace(/\.js$/, ''));
}

export const NODEJS_VALUE: LanguageValue = {
  inject(current) {
    if (current === undefined || isBlank(current)) return NODE_REQUIRE;
    if (otelRequirePairs(words(current)) === 1) return undefined;
    return `${current} ${NODE_REQUIRE}`;
  },
  conflict(value) {
    const optionWords = words(value);
    if (value.includes(DDTRACE_MOUNT)) return ddtrace(`it names DDTrace's directory ${DDTRACE_MOUNT}`);
    const required = requiredModules(optionWords).find(
      (module) => module === DDTRACE_NODE_INIT || module.endsWith(DDTRACE_NODE_INIT_SUFFIX),
    );
    if (required !== undefined) return ddtrace(`it requires DDTrace (${required})`);
    const pairs = otelRequirePairs(optionWords);
    if (pairs > 1) return malformed(`it has "${NODE_REQUIRE}" more than once`);
    const mentions = occurrences(value, NODEJS_MOUNT_MARKER);
    if (mentions > 0 && !(pairs === 1 && mentions === 1)) {
      return malformed(
        `it names ${NODEJS_MOUNT_MARKER} but not as the one "${NODE_REQUIRE}" the operator writes`,
      );
    }
    return undefined;
  },
};
