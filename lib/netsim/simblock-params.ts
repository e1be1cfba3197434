/**
 * The published Bitcoin network parameters of SimBlock (Aoki, Otsuki, Kaneko, Banno, Shudo: "SimBlock: A Blockchain
 * Network Simulator", IEEE INFOCOM Workshops 2019), as its source gives them:
 *   github.com/dsg-titech/simblock, simulator/src/main/java/simblock/settings/NetworkConfiguration.java
 *   (REGION_LIST, LATENCY_2015/2019, DOWNLOAD_BANDWIDTH_2015/2019, UPLOAD_BANDWIDTH_2015/2019,
 *   REGION_DISTRIBUTION_BITCOIN_2015/2019, DEGREE_DISTRIBUTION_BITCOIN_2015) and SimulationConfiguration.java
 *   (INTERVAL 10 min, BLOCK_SIZE 535,000 B, AVERAGE_MINING_POWER 400,000 and STDEV_OF_MINING_POWER 100,000).
 * The figures are copied; the simulator that uses them (simulate.ts) is our own.
 *
 * How SimBlock uses them, which simulate.ts follows (simblock/simulator/Network.java, node/Node.java, task/*.java):
 *   - a message's latency is drawn per message from a Pareto distribution whose mean is LATENCY[from][to]
 *     (shape 0.2·mean, scale mean − 5 ms), and every inv/getdata message adds 10 ms on top (AbstractMessageTask);
 *   - a block transfer runs at min(upload of the sender's region, download of the receiver's region) and adds 2 ms of
 *     processing at the sender (Node.processingTime);
 *   - the outbound degree of a node is drawn from DEGREE_DISTRIBUTION (a cumulative table over degrees 1..20, from
 *     Miller et al., "Discovering Bitcoin's public topology and influential nodes", 2015); peers are chosen uniformly
 *     at random, links are used both ways, inbound connections are not capped (BitcoinCoreTable).
 * SimBlock's validation against Bitcoin used the 2015 figures (the year of Croman et al.'s measurement, median
 * propagation 8.7 s); the 2019 ones are kept for comparison.
 */

export interface RegionalNetworkModel {
  /** A name for reports ("simblock-bitcoin-2015"). */
  name: string;
  regions: readonly string[];
  /** Share of nodes in each region (sums to 1). */
  regionShare: readonly number[];
  /** Mean one-way latency between regions, ms: latencyMs[from][to]. */
  latencyMs: readonly (readonly number[])[];
  /** Upload bandwidth of a node in each region, bit/s. */
  uploadBps: readonly number[];
  /** Download bandwidth of a node in each region, bit/s. */
  downloadBps: readonly number[];
  /** Cumulative distribution of the outbound degree: entry i is P(degree ≤ i + 1). */
  outboundDegreeCdf: readonly number[];
}

export const SIMBLOCK_REGIONS = ["NORTH_AMERICA", "EUROPE", "SOUTH_AMERICA", "ASIA_PACIFIC", "JAPAN", "AUSTRALIA"] as const;

/** DEGREE_DISTRIBUTION_BITCOIN_2015 (cumulative, degrees 1..20): mean outbound degree 8.6. */
export const SIMBLOCK_DEGREE_CDF_BITCOIN_2015: readonly number[] = [
  0.025, 0.05, 0.075, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.97, 0.98, 0.99, 0.995, 1.0,
];

export const SIMBLOCK_BITCOIN_2015: RegionalNetworkModel = {
  name: "simblock-bitcoin-2015",
  regions: SIMBLOCK_REGIONS,
  regionShare: [0.3869, 0.5159, 0.0113, 0.0574, 0.0119, 0.0166],
  latencyMs: [
    [36, 119, 255, 310, 154, 208],
    [119, 12, 221, 242, 266, 350],
    [255, 221, 137, 347, 256, 269],
    [310, 242, 347, 99, 172, 278],
    [154, 266, 256, 172, 9, 163],
    [208, 350, 269, 278, 163, 22],
  ],
  uploadBps: [4_700_000, 8_100_000, 1_800_000, 5_300_000, 3_400_000, 5_200_000],
  downloadBps: [25_000_000, 24_000_000, 6_500_000, 10_000_000, 17_500_000, 14_000_000],
  outboundDegreeCdf: SIMBLOCK_DEGREE_CDF_BITCOIN_2015,
};

export const SIMBLOCK_BITCOIN_2019: RegionalNetworkModel = {
  name: "simblock-bitcoin-2019",
  regions: SIMBLOCK_REGIONS,
  regionShare: [0.3316, 0.4998, 0.009, 0.1177, 0.0224, 0.0195],
  latencyMs: [
    [32, 124, 184, 198, 151, 189],
    [124, 11, 227, 237, 252, 294],
    [184, 227, 88, 325, 301, 322],
    [198, 237, 325, 85, 58, 198],
    [151, 252, 301, 58, 12, 126],
    [189, 294, 322, 198, 126, 16],
  ],
  uploadBps: [19_200_000, 20_700_000, 5_800_000, 15_700_000, 10_200_000, 11_300_000],
  downloadBps: [52_000_000, 40_000_000, 18_000_000, 22_800_000, 22_800_000, 29_900_000],
  outboundDegreeCdf: SIMBLOCK_DEGREE_CDF_BITCOIN_2015,
};

/** SimulationConfiguration: block size, interval and mining power of SimBlock's Bitcoin run. */
export const SIMBLOCK_BITCOIN_BLOCK_BYTES = 535_000;
export const SIMBLOCK_BITCOIN_INTERVAL_MS = 600_000;
export const SIMBLOCK_MINING_POWER = { mean: 400_000, stdev: 100_000 } as const;
/** Node.processingTime: added to every block transfer at the sender. */
export const SIMBLOCK_SENDER_PROCESSING_MS = 2;
/** AbstractMessageTask.getInterval: added to every inv and getdata message. */
export const SIMBLOCK_MESSAGE_OVERHEAD_MS = 10;

/**
 * The acceptance band a SimBlock-derived check uses (../shared/ANCHORS.md, "Network propagation"): a simulated
 * median propagation delay between Croman et al.'s measured 8.7 s and SimBlock's simulated 9.42 s, and a fork rate
 * between 0.41 % and 1.85 %. Croman et al.'s percentiles (0.8 / 8.7 / 79 s) are of the delays observed over many
 * blocks and nodes, so the simulator is judged on the pooled delay distribution (SimulationResult.pooledArrivalMs);
 * the median over blocks of each block's time to half the nodes is reported beside it.
 */
export const SIMBLOCK_CALIBRATION_BAND = {
  medianPropagationMs: { min: 8_700, max: 9_420 },
  forkRatePct: { min: 0.41, max: 1.85 },
} as const;
