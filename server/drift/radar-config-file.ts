/**
 * Reads the radar's alerting configuration from the YAML file named by MATHLEDGER_RADAR_CONFIG (lib/drift/
 * radar-config.ts says what it holds). No variable: nothing is sent (events are still stored and shown). A file that
 * cannot be read or parsed, or holds a bad key, throws AppError("CONFIG") naming the file and the key, which stops
 * the process at start-up.
 */
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { AppError, isAppError } from "../../lib/errors";
import { NO_ALERT_CONFIG, parseRadarAlertConfig, type RadarAlertConfig } from "../../lib/drift/radar-config";

export function loadRadarAlertConfig(env: Record<string, string | undefined> = process.env): RadarAlertConfig {
  const file = env.MATHLEDGER_RADAR_CONFIG;
  if (!file) return NO_ALERT_CONFIG;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new AppError("CONFIG", `MATHLEDGER_RADAR_CONFIG: cannot read ${file}: ${(error as Error).message}`);
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) throw new AppError("CONFIG", `${file}: not valid YAML: ${doc.errors[0].message}`);
  try {
    return parseRadarAlertConfig(doc.toJS({ maxAliasCount: 100 }), env);
  } catch (error) {
    if (isAppError(error)) throw new AppError("CONFIG", `${file}: ${error.message}`);
    throw error;
  }
}
