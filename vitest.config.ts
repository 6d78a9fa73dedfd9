import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Each test folder gets its own database (test/support/database.ts); two workers suit a 2-core machine.
    pool: "forks",
    globalSetup: ["test/support/global-setup.ts"],
    maxWorkers: 2,
  },
});
