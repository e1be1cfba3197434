/**
 * The stage interface: every benchmark family (micro, consensus, and later integration, network, stress, ingest) is
 * one module exporting a BenchStage, listed once in bench/stages/index.ts.
 *
 * A stage measures and derives; it does not print, write files or judge acceptance. It returns a StageResult
 * (measurements, metrics, readable tables, notes) and the harness (bench/run.ts) adds the run's context, checks the
 * metrics against lib/bench/acceptance.ts, prints the tables and writes the JSON and CSV files. That split is what lets
 * a test run a stage and inspect its result without timing assertions or files.
 */
import type { StageResult } from "../../lib/bench/bench-result";

export interface StageContext {
  /** A shortened run: fewer samples and shorter warm-ups, for smoke tests and quick looks. */
  readonly quick: boolean;
  /** `--nodes N`: the size of a stage's network (the network stage's testnet); undefined or null = the stage's default. */
  readonly nodes?: number | null;
  /** `--blocks N`: blocks a stage produces per run (the network stage); undefined or null = the stage's default. */
  readonly blocks?: number | null;
  /** Reports progress to a human (stderr); never part of the result. */
  progress(message: string): void;
}

export interface BenchStage {
  /** The name `--stage` takes and result files carry ("consensus"). */
  readonly id: string;
  readonly title: string;
  /** One line for `--list`. */
  readonly description: string;
  /**
   * Whether the stage runs when no `--stage` is given. A stage that needs something outside the process (a
   * database, a simulated network) or runs for minutes says false and runs only when named.
   */
  readonly runsByDefault: boolean;
  run(context: StageContext): Promise<StageResult>;
}
