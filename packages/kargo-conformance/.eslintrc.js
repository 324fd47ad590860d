module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  overrides: [
    {
      // Suites are tests shared by the two targets: conformance.test.ts runs each once per
      // target, so they export their definitions.
      files: ['src/suites/**'],
      rules: { 'jest/no-export': 'off' },
    },
  ],
});
