import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  cleanAbsolutePath,
  coveringDirectories,
  isInside,
  locateLogFile,
  logDirectory,
  reachesSubdirectories,
} from './log-directories.ts';

describe('logDirectory', () => {
  const cases = [
    {
      name: 'cuts a glob file name back to its directory',
      logfile: '/var/log/app/*.log',
      directory: '/var/log/app',
    },
    { name: 'takes the directory of a plain file', logfile: '/var/log/1.log', directory: '/var/log' },
    { name: 'stops at a recursive glob', logfile: '/var/log/**/x.log', directory: '/var/log' },
    {
      name: 'stops at a glob inside a directory name',
      logfile: '/var/log/app*/x.log',
      directory: '/var/log',
    },
    { name: 'stops at a "?" glob', logfile: '/var/log/app/a?.log', directory: '/var/log/app' },
    { name: 'stops at a "[" character class', logfile: '/var/log/[ab]/x.log', directory: '/var/log' },
    { name: 'stops at a "{a,b}" alternative', logfile: '/var/log/{a,b}/x.log', directory: '/var/log' },
    { name: 'cleans repeated slashes', logfile: '/var//log///app.log', directory: '/var/log' },
    { name: 'cleans "." and ".." segments', logfile: '/var/log/./app/../x.log', directory: '/var/log' },
    { name: 'gives "/" for a file in the root', logfile: '/app.log', directory: '/' },
    { name: 'gives "/" for a glob in the root', logfile: '/*.log', directory: '/' },
    { name: 'never climbs above the root', logfile: '/../../x.log', directory: '/' },
  ];
  for (const { name, logfile, directory } of cases) {
    it(name, () => assert.equal(logDirectory(logfile), directory));
  }
});

describe('cleanAbsolutePath', () => {
  const cases = [
    { path: '/var/log/', clean: '/var/log' },
    { path: '/var/log', clean: '/var/log' },
    { path: '/', clean: '/' },
    { path: '//', clean: '/' },
    { path: '/a/b/../../c', clean: '/c' },
  ];
  for (const { path, clean } of cases) {
    it(`cleans ${JSON.stringify(path)} to ${JSON.stringify(clean)}`, () =>
      assert.equal(cleanAbsolutePath(path), clean));
  }
});

describe('reachesSubdirectories', () => {
  const cases = [
    { logfile: '/var/log/*.log', reaches: false },
    { logfile: '/var/log/app.log', reaches: false },
    { logfile: '/var/log/**', reaches: true },
    { logfile: '/var/log/**/x.log', reaches: true },
    { logfile: '/var/log/*/x.log', reaches: true },
  ];
  for (const { logfile, reaches } of cases) {
    it(`${reaches ? 'sees' : 'does not see'} subdirectories with ${logfile}`, () =>
      assert.equal(reachesSubdirectories(locateLogFile(logfile)), reaches));
  }
});

describe('isInside', () => {
  it('is true only strictly below, by whole segments', () => {
    assert.equal(isInside('/var/log/app', '/var/log'), true);
    assert.equal(isInside('/var/log', '/var/log'), false);
    assert.equal(isInside('/var/logs', '/var/log'), false);
    assert.equal(isInside('/var', '/'), true);
  });
});

describe('coveringDirectories', () => {
  const cases = [
    {
      name: 'removes duplicates, keeping first-seen order',
      directories: ['/b', '/a', '/b'],
      covering: ['/b', '/a'],
    },
    {
      name: 'drops a directory nested inside another, whichever comes first',
      directories: ['/var/log/app', '/var/log', '/var/log/app/deep'],
      covering: ['/var/log'],
    },
    {
      name: 'keeps siblings whose names share a prefix',
      directories: ['/var/log', '/var/logs'],
      covering: ['/var/log', '/var/logs'],
    },
  ];
  for (const { name, directories, covering } of cases) {
    it(name, () => assert.deepEqual(coveringDirectories(directories), covering));
  }
});

describe('cleanAbsolutePath fast path', () => {
  /** Go path.Clean for absolute paths, segment by segment, as before the fast path. */
  function referenceClean(path: string): string {
    const segments: string[] = [];
    for (const segment of path.split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') segments.pop();
      else segments.push(segment);
    }
    return `/${segments.join('/')}`;
  }

  it('cleans any text as splitting at every "/" does', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '.', '/'), maxLength: 10 }), (path) => {
        assert.equal(cleanAbsolutePath(path), referenceClean(path));
      }),
      { numRuns: 10_000 },
    );
  });
});
