/**
 * `${NAME}` references in configuration files (the drift radar's YAML, the relay's peers JSON): secrets stay in the
 * environment, not in the file. Pure: the caller passes the environment.
 */
import { AppError } from "../errors";

/**
 * Replaces ${NAME} in every string of `value` from `env`. A variable that is unset or empty is an AppError("CONFIG")
 * naming the file's kind (`what`, e.g. "radar configuration") and the key that referenced it.
 */
export function expandEnvReferences(value: unknown, env: Record<string, string | undefined>, what: string, path: (string | number)[] = []): unknown {
  if (typeof value === "string") {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const v = env[name];
      if (v === undefined || v === "") {
        throw new AppError("CONFIG", `${what}: ${path.length ? path.join(".") : "(top level)"}: environment variable ${name} is not set`);
      }
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => expandEnvReferences(v, env, what, [...path, i]));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandEnvReferences(v, env, what, [...path, k])]));
  return value;
}
