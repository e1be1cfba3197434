import { describe, expect, it } from "vitest";
import { csvField, renderCsv, renderTextTable, type ReportTable } from "./report-table";

describe("csvField", () => {
  it("quotes fields holding a comma, quote or line break and doubles inner quotes (RFC 4180)", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(1.5)).toBe("1.5");
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
  });
});

describe("renderCsv", () => {
  it("writes a header and rows with CRLF line ends", () => {
    expect(renderCsv(["a", "b"], [[1, "x,y"], [null, 2]])).toBe('a,b\r\n1,"x,y"\r\n,2\r\n');
  });
});

describe("renderTextTable", () => {
  const table: ReportTable = {
    id: "t",
    title: "Title",
    columns: [
      { key: "name", label: "name" },
      { key: "µs", label: "µs", align: "right" },
    ],
    rows: [
      { name: "short", µs: "1.5" },
      { name: "a longer name", µs: "12.25" },
      { name: "missing cell" },
    ],
    notes: ["a note"],
  };
  it("aligns columns by code points, right-aligns numbers, and prints notes under the table", () => {
    expect(renderTextTable(table).split("\n")).toEqual([
      "Title",
      "name              µs",
      "-------------  -----",
      "short            1.5",
      "a longer name  12.25",
      "missing cell",
      "  a note",
    ]);
  });
});
