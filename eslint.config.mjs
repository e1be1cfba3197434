// ESLint (flat config): Next's own rules (core web vitals: React, hooks, jsx-a11y, Next) and its TypeScript rules,
// over the whole project: app, components, lib, server, cli, worker, bench, scripts, e2e. `npm run lint`; CI runs it.
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    "dist/**",
    "node_modules/**",
    "server/db/generated/**",
    "bench/results/**",
    "test-results/**",
    "playwright-report/**",
    "next-env.d.ts",
    "lib/crypto/wasm/*.wasm",
  ]),
  {
    rules: {
      // Unused arguments named _x are deliberate (interface conformance).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
]);
