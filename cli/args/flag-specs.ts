/**
 * How a command declares its flags, and the typed values the parser hands back.
 *
 * A command lists its flags once (name, kind, placeholder, description); the parser, the --help text, the JSON help
 * and the command's own TypeScript types are all derived from that one declaration, so they cannot drift apart.
 */

/** A flag that takes one value (a second occurrence is a usage error). */
interface SingleValueFlag<K extends "string" | "integer"> {
  readonly kind: K;
  /** Placeholder shown in help ("FILE", "HEX", "N"). */
  readonly value: string;
  readonly description: string;
  /** When true, leaving the flag out is a usage error. */
  readonly required?: boolean;
  readonly repeatable?: false;
  /**
   * Integer flags: the largest value accepted (default 2^53 - 1, the largest exact integer). Heights that are looked
   * up in the node's database use MAX_STORED_BLOCK_NUMBER, so a larger one is a usage error rather than a SQL error.
   */
  readonly max?: K extends "integer" ? number : never;
}

/** A flag that may be given any number of times; its values keep their command-line order. */
interface RepeatableFlag {
  readonly kind: "string";
  readonly value: string;
  readonly description: string;
  readonly repeatable: true;
  readonly required?: false;
}

/** A switch: present or absent, never with a value. */
interface BooleanFlag {
  readonly kind: "boolean";
  readonly description: string;
  readonly required?: false;
  readonly repeatable?: false;
}

export type FlagSpec = SingleValueFlag<"string"> | SingleValueFlag<"integer"> | RepeatableFlag | BooleanFlag;

/** A command's flags, keyed by name without the leading "--" (kebab-case, as typed). */
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** The parsed value of one flag, typed from its spec. */
export type FlagValue<S extends FlagSpec> = S extends BooleanFlag
  ? boolean
  : S extends RepeatableFlag
    ? string[]
    : S extends SingleValueFlag<infer K>
      ? (K extends "integer" ? number : string) | (S["required"] extends true ? never : undefined)
      : never;

/** The parsed values of all of a command's flags. */
export type FlagValues<F extends FlagSpecs> = { -readonly [K in keyof F]: FlagValue<F[K]> };

/**
 * Flags every command accepts. They are handled by the runner (help, output format) and never reach a command.
 * Declared here so help output and the parser treat them like any other flag.
 */
export const COMMON_FLAGS = {
  json: { kind: "boolean", description: "print one JSON document on stdout instead of text (errors too, as {\"error\": ...})" },
  help: { kind: "boolean", description: "show this help and exit" },
} as const satisfies FlagSpecs;
