/**
 * What the engine harness prefixes to a failed Pulumi command's error (issue 22 item 11): the causes a loaded
 * machine produces, recognised in the command's output, with the load average and the lines that show them.
 */
import { describe, expect, it } from "vitest";
import { causeLines, explainFailure } from "../helpers/failure-cause";

const calm = { loadavg: [0.5, 0.4, 0.3], cores: 2, elapsedMs: 12_345 };

describe("explainFailure", () => {
  it("names port exhaustion and quotes the line", () => {
    const out = "Diagnostics:\n  importexport:index:ImportExportJob (job0):\n    error: connect EADDRNOTAVAIL 127.0.0.1:41234 - Local (0.0.0.0:0)\n";
    const text = explainFailure(out, calm);
    expect(text).toMatch(/^Likely cause: port exhaustion \(EADDRNOTAVAIL/);
    expect(text).toContain("Load average 0.50 / 0.40 / 0.30 (1 / 5 / 15 min) on 2 cores; the command ran 12.3 s.");
    expect(text).toContain("Lines naming it:\n  error: connect EADDRNOTAVAIL 127.0.0.1:41234");
  });

  it("names a port in use, a timeout and a refused connection, each once", () => {
    const text = explainFailure("listen EADDRINUSE: address already in use :::8080\nGetStatus RESPONSE_TIMEOUT\nconnect ECONNREFUSED 127.0.0.1:1\nconnect ECONNREFUSED 127.0.0.1:2", calm);
    expect(text).toContain("port in use (EADDRINUSE)");
    expect(text).toContain("a timeout");
    expect(text.match(/connection refused/g)).toHaveLength(1);
  });

  it("blames an overloaded machine when the 1-minute load is above twice the cores, even with nothing in the output", () => {
    const text = explainFailure("error: something else", { loadavg: [9.87, 6, 3], cores: 2, elapsedMs: 61_000 });
    expect(text).toMatch(/^Likely cause: an overloaded machine \(load 9\.87 on 2 cores\)\./);
    expect(text).toContain("the command ran 61.0 s");
    expect(text).not.toContain("Lines naming it");
  });

  it("says when it recognises nothing", () => {
    expect(explainFailure("error: InvalidManifestFieldException: bucket", calm)).toMatch(/^Likely cause: none recognised in the output/);
  });

  it("causeLines keeps at most 8 lines, each cut at 300 characters", () => {
    const lines = causeLines(Array.from({ length: 20 }, (_, i) => `ECONNRESET ${i} ${"x".repeat(400)}`).join("\n"));
    expect(lines).toHaveLength(8);
    expect(lines[0]!.length).toBe(301);
  });
});
