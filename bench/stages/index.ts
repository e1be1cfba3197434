/**
 * The stage registry: every stage `npm run bench` knows, in the order they run.
 *
 * To add a stage (integration, network, stress): write bench/stages/<name>.ts exporting a BenchStage, list it
 * here, and add its acceptance criteria to lib/bench/acceptance.ts. The harness needs no other change.
 */
import type { BenchStage } from "../harness/stage";
import { cliStartupStage } from "./cli-startup";
import { consensusStage } from "./consensus";
import { governanceStage } from "./governance";
import { ingestStage } from "./ingest";
import { ingestMemoryStage } from "./ingest-memory";
import { integrationStage } from "./integration";
import { microStage } from "./micro";
import { networkStage } from "./network";
import { networkSimStage } from "./network-sim";
import { radarStage } from "./radar";
import { scaleStage } from "./scale";
import { stressStage } from "./stress";
import { validateApiStage } from "./validate-api";

export const STAGES: readonly BenchStage[] = [
  microStage,
  consensusStage,
  ingestStage,
  ingestMemoryStage,
  cliStartupStage,
  scaleStage,
  validateApiStage,
  radarStage,
  governanceStage,
  integrationStage,
  networkSimStage,
  networkStage,
  stressStage,
];
