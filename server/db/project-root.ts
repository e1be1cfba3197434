/**
 * Locating the project on disk, for the modules that need its files at run time (prisma/migrations, the Prisma CLI,
 * the embedded PostgreSQL binaries, the default data directory).
 *
 * The web server (bundled by Next), the worker and the CLI (run by tsx from any working directory) all load these
 * modules from different places, so the root is found by walking up to the directory that holds
 * prisma/schema.prisma: first from this module's own location, then from the working directory.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/** The project's root directory (the one holding package.json and prisma/schema.prisma). */
export function projectRoot(): string {
  if (cached) return cached;
  const starts: string[] = [];
  try {
    starts.push(path.dirname(fileURLToPath(import.meta.url)));
  } catch {
    // import.meta.url is not a file: URL in some bundles; the working directory is the fallback.
  }
  starts.push(process.cwd());
  for (const start of starts) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, "prisma", "schema.prisma")) && existsSync(path.join(dir, "package.json"))) {
        cached = dir;
        return dir;
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error(`Cannot find the project root (a directory with prisma/schema.prisma) above ${starts.join(" or ")}`);
}

/** A path inside the project. */
export function projectPath(...segments: string[]): string {
  return path.join(projectRoot(), ...segments);
}
