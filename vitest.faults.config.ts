import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

// Fault tests (`npm run test:faults`): PostgreSQL outages, repeated kills and graceful stops of the real processes.
// They take minutes, so they run apart from `npm test`; .ci/run runs both. One file at a time: they start processes
// and a private PostgreSQL cluster, and would only slow each other down on two cores.
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["**/*.faults.test.ts"],
    exclude: ["node_modules/**", ".next/**", ".data/**"],
    testTimeout: 900_000,
    hookTimeout: 300_000,
    pool: "forks",
    fileParallelism: false,
  },
});
