import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Each test file gets its own temporary SQLite file; two workers suit a 2-core machine.
    pool: "forks",
    maxWorkers: 2,
  },
});
