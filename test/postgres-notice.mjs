// Run once by tap before the test files (.taprc `before`): without a Postgres the store tests
// that need one are skipped, and this is the one line that says so (on stderr: the TAP stays clean).
if (!process.env.TEST_POSTGRES_URL?.trim()) {
  process.stderr.write('TEST_POSTGRES_URL unset: the Postgres erasure store tests are skipped (.ci/run starts a Postgres and sets it)\n');
}
