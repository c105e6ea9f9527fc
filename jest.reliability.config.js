/**
 * The reliability suites alone (test/reliability, npm run test:reliability): a fault storm through the
 * handlers, generated bad input for every route, and the security checks. Minutes, not seconds: they run
 * on their own, one file at a time (each is CPU-bound on the in-process stack).
 * @type {import('jest').Config}
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/reliability'],
  testPathIgnorePatterns: ['/node_modules/'],
  maxWorkers: 1,
  testTimeout: 300000,
};
