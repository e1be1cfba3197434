/**
 * Everything the CLI prints goes through here, so the output conventions hold for every command (docs/cli.md):
 *   - a result goes to stdout: text for a person, or with --json exactly one JSON document (2-space indented);
 *   - an error is exactly one line on stderr, `mathledger-cli: <what is wrong>`, never a stack trace, never raw input
 *     (control characters are escaped and the line is capped); with --json the same error is also printed on stdout
 *     as `{"error": {"code", "message", "exit_code"}}`, so a script reading stdout always gets one JSON document.
 */

export const PROGRAM = "mathledger-cli";

/** Longest error line printed; longer messages are cut (a message may quote a value from a huge input). */
const MAX_LINE = 500;

/**
 * Makes `text` safe to print as one line: line breaks, tabs and other control characters become visible escapes,
 * and anything past `max` characters is cut with "...".
 */
export function oneLine(text: string, max = MAX_LINE): string {
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
  return escaped.length > max ? `${escaped.slice(0, max - 3)}...` : escaped;
}

/** The JSON form of a result or help document. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/** The stderr line for an error. */
export function formatErrorLine(message: string): string {
  return `${PROGRAM}: ${oneLine(message)}\n`;
}

/** The --json document for an error. */
export function formatJsonError(code: string, message: string, exitCode: number): string {
  return formatJson({ error: { code, message: oneLine(message), exit_code: exitCode } });
}

/** Ends `text` with exactly one newline (an empty text prints nothing). */
export function formatText(text: string): string {
  if (text === "") return "";
  return text.endsWith("\n") ? text : text + "\n";
}
