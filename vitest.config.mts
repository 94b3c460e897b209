import { defineConfig } from "vitest/config";

// Engine tests drive the real Pulumi CLI (seconds per operation) and the emulator; unit tests are fast.
// One config, generous timeouts for the slow suites, no retries: a flaky test is a bug to fix.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "sdk/**/*.test.ts", "provider/**/*.test.ts", "emulator/**/*.test.ts", "cli/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    globalSetup: ["test/global-setup.ts"],
    reporters: ["default"],
    pool: "forks",
  },
});
