/**
 * The verification thread as the web server ships it: dist/web/verify-worker.mjs, rebuilt here by the same script
 * `npm run build` and `npm start` use (scripts/web/build-verify-worker.mjs), so the stage measures today's sources.
 */
import { execFileSync } from "node:child_process";
import { projectPath } from "../../server/db/project-root";

export async function buildVerifyWorker(): Promise<string> {
  execFileSync(process.execPath, [projectPath("scripts", "web", "build-verify-worker.mjs"), "--quiet"], { stdio: "inherit" });
  return projectPath("dist", "web", "verify-worker.mjs");
}
