// Decoding a task-election poll (SPEC §10.2) with the strictness of upstream's Go decoder: unknown fields
// are ignored, a field of the wrong type is an error, `null` means "absent".

import { err, ok, type Result } from '../errors/result.ts';
import type { TaskSet } from './task-set.ts';

export interface TaskElectionRequest {
  readonly namespace: string;
  readonly id: string;
  readonly tasks: TaskSet;
  /** The inputs it says it runs (`running_inputs`): its claims when the operator knows nothing of it. */
  readonly running: readonly string[];
}

/** `Err` carries the reason for `Request could not be decoded: <reason>`. */
export function parseTaskElectionRequest(body: string): Result<TaskElectionRequest, string> {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch (error) {
    return err((error as Error).message);
  }
  if (!isObject(document)) return err(`the body must be a JSON object, got ${describe(document)}`);

  const problems: string[] = [];
  const text = (field: string): string => {
    const value = document[field];
    if (value === undefined || value === null) return '';
    if (typeof value === 'string') return value;
    problems.push(`${field}: expected a string, got ${describe(value)}`);
    return '';
  };
  const namespace = text('namespace');
  const id = text('id');

  const timestamp = document['timestamp'];
  if (timestamp !== undefined && timestamp !== null && !Number.isInteger(timestamp)) {
    problems.push(`timestamp: expected an integer, got ${describe(timestamp)}`);
  }
  const running = document['running_inputs'];
  if (
    running !== undefined &&
    running !== null &&
    !(Array.isArray(running) && running.every((x) => typeof x === 'string'))
  ) {
    problems.push(`running_inputs: expected an array of strings, got ${describe(running)}`);
  }

  const tasks = new Map<string, number>();
  const inputs = document['application_inputs'];
  if (isObject(inputs)) {
    // Object.keys, not Object.entries: a poll may list 20,000 inputs, and the pairs cost four times as much.
    for (const name of Object.keys(inputs)) {
      const count = inputs[name];
      if (typeof count === 'number' && Number.isInteger(count) && count >= 0) tasks.set(name, count);
      else
        problems.push(
          `application_inputs.${name}: expected a non-negative integer count, got ${describe(count)}`,
        );
    }
  } else if (inputs !== undefined && inputs !== null) {
    problems.push(`application_inputs: expected an object of input name → count, got ${describe(inputs)}`);
  }

  if (problems.length > 0) return err(problems.join('; '));
  return ok({ namespace, id, tasks, running: Array.isArray(running) ? (running as string[]) : [] });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
