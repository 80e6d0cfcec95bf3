import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  mkdirSync,
  writeFileSync,
  utimesSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '../errors/codes.ts';
import type { LoadResult } from './load.ts';
import { watchConfigFile } from './watch.ts';
import { detailsOf } from '../errors/problem.ts';

const FAST = { pollMs: 40, debounceMs: 10 };
/** A poll too slow to matter within a test: what is seen is seen through the directory watch. */
const EVENTS_ONLY = { pollMs: 60_000, debounceMs: 10 };
const WAIT_LIMIT_MS = 1500;

/** Collects reload results and lets a test wait for the next one. */
function recorder(): {
  results: LoadResult[];
  onReload: (r: LoadResult) => void;
  next: () => Promise<LoadResult>;
} {
  const results: LoadResult[] = [];
  let seen = 0;
  return {
    results,
    onReload: (r) => results.push(r),
    async next() {
      const deadline = Date.now() + WAIT_LIMIT_MS;
      while (results.length <= seen) {
        if (Date.now() > deadline) assert.fail('no reload within the time limit');
        await sleep(5);
      }
      return results[seen++] as LoadResult;
    },
  };
}

function logLevelOf(result: LoadResult): string {
  assert.ok(result.ok, result.ok ? '' : detailsOf(result.error).join('\n'));
  return result.value.config.log_level;
}

describe('watchConfigFile', () => {
  let dir = '';
  let file = '';
  let watcher: { close(): void } | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dko-watch-'));
    file = join(dir, 'config.json');
    writeFileSync(file, '{"log_level":"info"}');
  });
  afterEach(() => {
    watcher?.close();
    watcher = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('reloads a valid change with the new value', async () => {
    const r = recorder();
    watcher = watchConfigFile(file, {}, r.onReload, EVENTS_ONLY);
    writeFileSync(file, '{"log_level":"debug"}');
    assert.equal(logLevelOf(await r.next()), 'debug');
  });

  it('applies legacy env overrides to a reloaded file', async () => {
    const r = recorder();
    watcher = watchConfigFile(file, { ENV_SERVER_LISTEN: ':9000' }, r.onReload, FAST);
    writeFileSync(file, '{"log_level":"warn"}');
    const result = await r.next();
    assert.ok(result.ok);
    assert.equal(result.value.config.server_listen, ':9000');
  });

  it('reports broken JSON as an error', async () => {
    const r = recorder();
    watcher = watchConfigFile(file, {}, r.onReload, FAST);
    writeFileSync(file, '{"log_level": ');
    const result = await r.next();
    assert.ok(!result.ok);
    assert.equal(result.error.code, ErrorCode.CONFIG_SYNTAX);
    assert.match(detailsOf(result.error)[0] ?? '', new RegExp(`^${file}:1:15: `));
  });

  it('reports an invalid config as an error, then a fixed one as a success', async () => {
    const r = recorder();
    watcher = watchConfigFile(file, {}, r.onReload, FAST);
    writeFileSync(file, '{"log_level":"loud"}');
    const bad = await r.next();
    assert.ok(!bad.ok);
    assert.equal(bad.error.code, ErrorCode.CONFIG_INVALID);
    writeFileSync(file, '{"log_level":"error"}');
    assert.equal(logLevelOf(await r.next()), 'error');
  });

  it('sees an atomic rename (write a temporary file, then rename it over the config)', async () => {
    const r = recorder();
    watcher = watchConfigFile(file, {}, r.onReload, EVENTS_ONLY);
    const temporary = join(dir, '.config.json.tmp');
    writeFileSync(temporary, '{"log_level":"warn"}');
    renameSync(temporary, file);
    assert.equal(logLevelOf(await r.next()), 'warn');
  });

  it('sees a Kubernetes ConfigMap update (the ..data symlink swapped to a new directory)', async () => {
    rmSync(file);
    mkdirSync(join(dir, '..v1'));
    writeFileSync(join(dir, '..v1', 'config.json'), '{"log_level":"info"}');
    symlinkSync('..v1', join(dir, '..data'));
    symlinkSync(join('..data', 'config.json'), file);
    const r = recorder();
    watcher = watchConfigFile(file, {}, r.onReload, EVENTS_ONLY);

    mkdirSync(join(dir, '..v2'));
    writeFileSync(join(dir, '..v2', 'config.json'), '{"log_level":"debug"}');
    symlinkSync('..v2', join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    assert.equal(logLevelOf(await r.next()), 'debug');
  });

  it('does not reload when the file is touched without a content change', async () => {
    const r = recorder();
    watcher = watchConfigFile(file, {}, r.onReload, FAST);
    writeFileSync(file, '{"log_level":"info"}');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    await sleep(FAST.pollMs * 3);
    assert.deepEqual(r.results, []);
  });

  it('reports a deleted file once, and reloads when it comes back', async () => {
    const r = recorder();
    watcher = watchConfigFile(file, {}, r.onReload, FAST);
    rmSync(file);
    const gone = await r.next();
    assert.ok(!gone.ok);
    assert.equal(gone.error.code, ErrorCode.CONFIG_FILE);
    await sleep(FAST.pollMs * 2);
    assert.equal(r.results.length, 1, 'an unreadable file is reported once, not at every poll');
    writeFileSync(file, '{"log_level":"warn"}');
    assert.equal(logLevelOf(await r.next()), 'warn');
  });

  it('stops reporting once closed', async () => {
    const r = recorder();
    watcher = watchConfigFile(file, {}, r.onReload, FAST);
    watcher.close();
    writeFileSync(file, '{"log_level":"debug"}');
    await sleep(FAST.pollMs * 3);
    assert.deepEqual(r.results, []);
  });

  it('falls back to polling when the directory cannot be watched', async () => {
    // fs.watch throws for a directory that does not exist yet (e.g. a volume mounted late): only polling
    // can then notice the file appear.
    const lateDir = join(dir, 'mounted-later');
    const lateFile = join(lateDir, 'config.json');
    const r = recorder();
    watcher = watchConfigFile(lateFile, {}, r.onReload, FAST);
    mkdirSync(lateDir);
    writeFileSync(lateFile, '{"log_level":"error"}');
    assert.equal(logLevelOf(await r.next()), 'error');
  });

  it('reloads a change written after the served text was read and before the watch began', async () => {
    const served = '{"log_level":"info"}';
    writeFileSync(file, '{"log_level":"warn"}');
    const r = recorder();
    watcher = watchConfigFile(file, {}, r.onReload, FAST, served);
    assert.equal(logLevelOf(await r.next()), 'warn');
  });

  it('reloads within the bounded wait although another file in the directory changes constantly', async () => {
    const r = recorder();
    // Events alone, and a quiet time that the neighbour's writes never leave: only the bound applies.
    watcher = watchConfigFile(file, {}, r.onReload, { pollMs: 60_000, debounceMs: 200, maxWaitMs: 300 });
    const neighbour = join(dir, 'app.log');
    let writing = true;
    const churn = (async () => {
      for (let line = 0; writing; line += 1) {
        writeFileSync(neighbour, `line ${line}\n`, { flag: 'a' });
        writeFileSync(file, line === 5 ? '{"log_level":"debug"}' : readFileSync(file));
        await sleep(20);
      }
    })();
    try {
      assert.equal(logLevelOf(await r.next()), 'debug');
    } finally {
      writing = false;
      await churn;
    }
  });
});
