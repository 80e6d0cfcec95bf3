import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROFILER_LANGUAGE_ROWS, profilerLanguageRow } from './languages.ts';

const images = {
  java_profiler_image: 'registry.example.com/async-profiler:1',
  python_profiler_image: 'registry.example.com/py-spy:1',
  golang_profiler_image: 'registry.example.com/go-pprof:1',
};

describe('profiler language table', () => {
  it('checks the annotations in the order java, python, golang (SPEC §4.4)', () => {
    assert.deepEqual(
      PROFILER_LANGUAGE_ROWS.flatMap((row) => row.annotationKeys),
      [
        'admission.datakit/java-profiler.version',
        'admission.datakit/python-profiler.version',
        'admission.datakit/golang-profiler.version',
      ],
    );
  });

  for (const [language, image] of [
    ['java', images.java_profiler_image],
    ['python', images.python_profiler_image],
    ['golang', images.golang_profiler_image],
  ] as const) {
    it(`runs the configured ${language} profiler image`, () => {
      assert.equal(profilerLanguageRow(language).image(images), image);
    });
  }
});
