import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

// Unit and integration tests (lib/, server/, cli/, worker/). Browser tests live in e2e/ and run under Playwright.
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: [
      "lib/**/*.test.ts",
      "server/**/*.test.ts",
      "cli/**/*.test.ts",
      "worker/**/*.test.ts",
      "bench/**/*.test.ts",
      "components/**/*.test.ts",
      "docs/**/*.test.ts",
    ],
    // Fault tests (outages, kills) run apart: `npm run test:faults` (vitest.faults.config.ts).
    exclude: ["**/node_modules/**", "**/*.faults.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // One production build before the suites that start the built server (see the file for why).
    globalSetup: ["scripts/test/build-web-once.ts"],
  },
});
