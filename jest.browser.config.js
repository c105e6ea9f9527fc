/**
 * The browser tests alone (test/browser): headless Debian Chromium driven by playwright-core.
 * Run through scripts/test-browser.sh, which makes sure Chromium is there.
 * @type {import('jest').Config}
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/browser'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 60000,
};
