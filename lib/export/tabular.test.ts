import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { csvCell, exportFileName, formatTable } from "./tabular";

describe("csvCell", () => {
  it("quotes commas, quotes and line breaks (RFC 4180) and writes null as empty", () => {
    expect(csvCell('a,"b"\nc')).toBe('"a,""b""\nc"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(12)).toBe("12");
    expect(csvCell(false)).toBe("false");
  });

  it("defuses text a spreadsheet would run as a formula, but not numbers", () => {
    expect(csvCell("=HYPERLINK(\"x\")")).toBe("\"'=HYPERLINK(\"\"x\"\")\"");
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell(-1)).toBe("-1");
  });
});

describe("formatTable", () => {
  it("starts with a header line naming the columns, in CSV and JSON", () => {
    expect(formatTable("csv", ["a", "b"], [[1, "x"], [2, null]])).toBe("a,b\r\n1,x\r\n2,\r\n");
    const json = formatTable("json", ["a", "b"], [[1, "x"], [2, null]]);
    expect(json.split("\n")[0]).toBe('{"columns":["a","b"],');
    expect(JSON.parse(json)).toEqual({ columns: ["a", "b"], rows: [[1, "x"], [2, null]] });
    expect(JSON.parse(formatTable("json", ["a"], []))).toEqual({ columns: ["a"], rows: [] });
  });

  it("round-trips any text through JSON, and keeps one CSV record per row (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.integer())), (rows) => {
        expect(JSON.parse(formatTable("json", ["s", "n"], rows)).rows).toEqual(rows);
        const csv = formatTable("csv", ["s", "n"], rows);
        // Outside quotes, CRLF only ends records.
        let records = 0;
        let quoted = false;
        for (let i = 0; i < csv.length; i++) {
          if (csv[i] === '"') quoted = !quoted;
          else if (!quoted && csv[i] === "\r" && csv[i + 1] === "\n") records++;
        }
        expect(records).toBe(rows.length + 1);
      }),
    );
  });
});

describe("exportFileName", () => {
  it("stamps the UTC time without characters file systems dislike", () => {
    expect(exportFileName("blocks invalid", "csv", new Date("2026-12-03T08:04:59.123Z"))).toBe("blocks_invalid-20261203T080459Z.csv");
  });
});
