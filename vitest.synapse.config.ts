import { defineConfig } from "vitest/config";

/** The real-Synapse suite (`npm run test:synapse`): root and Debian only, kept out of `npm test`. */
export default defineConfig({
  test: {
    include: ["test/synapse/**/*.synapse.ts"],
    testTimeout: 120_000,
    hookTimeout: 20 * 60_000,
    pool: "forks",
    maxWorkers: 1,
  },
});
