/** The output formats as pure functions: the AWS CLI's text rules, the table's box geometry, JSON member order. */
import { describe, expect, it } from "vitest";
import { formatOutput, formatTable, formatText, formatTimestamp, operationResult, toPlain } from "../../cli/output";

describe("text output (the AWS CLI's text mode)", () => {
  it("prints an object's scalars tab-separated in member-name order, then each list prefixed by its upper-cased name", () => {
    const out = formatText({ Zeta: "z", Alpha: 1, Flag: false, Items: [{ B: "b1", A: "a1" }, { A: "a2", B: "b2" }] });
    expect(out).toBe("1\tFalse\tz\nITEMS\ta1\tb1\nITEMS\ta2\tb2\n");
  });

  it("gives every entry of a list the same columns (None where a member is missing)", () => {
    expect(formatText({ Jobs: [{ JobId: "A", IsCanceled: true }, { JobId: "B" }] })).toBe("JOBS\tTrue\tA\nJOBS\tNone\tB\n");
  });

  it("prints a list of scalars one per line under its name, a bare list on one line, nothing for an empty list", () => {
    expect(formatText({ Ids: ["A", "B"] })).toBe("IDS\tA\nIDS\tB\n");
    expect(formatText(["A", "B"])).toBe("A\tB\n");
    expect(formatText({ Jobs: [] })).toBe("");
  });
});

describe("table output", () => {
  it("draws a box of equal-width lines: title, key/value rows, a section per list with a header row", () => {
    const out = formatTable("ListJobs", { Jobs: [{ JobId: "AAAAA", IsCanceled: false }, { JobId: "B", IsCanceled: true }] });
    const lines = out.trimEnd().split("\n");
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines).toEqual([
      "+--------------------+",
      "|      ListJobs      |",
      "+--------------------+",
      "|        Jobs        |",
      "+------------+-------+",
      "| IsCanceled | JobId |",
      "+------------+-------+",
      "| False      | AAAAA |",
      "| True       | B     |",
      "+------------+-------+",
    ]);
  });

  it("spreads multi-line values over several lines of one cell and drops their trailing newline", () => {
    const lines = formatTable("X", { A: "one\ntwo\n", B: "b" }).trimEnd().split("\n");
    expect(lines.slice(3)).toEqual(["| A | one |", "|   | two |", "| B | b   |", "+---+-----+"]);
  });
});

describe("json output", () => {
  it("orders members as the model does, drops $metadata, prints dates as ISO-8601 and indents by 4", () => {
    const result = operationResult("ListJobs", {
      IsTruncated: false,
      Jobs: [{ JobType: "Import", JobId: "AAAAA", CreationDate: new Date(Date.UTC(2015, 4, 27, 18, 58, 21)) }],
      $metadata: { attempts: 1, totalRetryDelay: 0 },
    });
    expect(Object.keys(result)).toEqual(["Jobs", "IsTruncated"]);
    expect(formatOutput("json", "ListJobs", result)).toBe(
      '{\n    "Jobs": [\n        {\n            "JobType": "Import",\n            "JobId": "AAAAA",\n' +
        '            "CreationDate": "2015-05-27T18:58:21Z"\n        }\n    ],\n    "IsTruncated": false\n}\n',
    );
  });

  it("keeps milliseconds only when a timestamp has them; undefined members disappear", () => {
    expect(formatTimestamp(new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 6)))).toBe("2020-01-02T03:04:05.006Z");
    expect(toPlain({ A: undefined, B: null })).toEqual({ B: null });
  });
});
