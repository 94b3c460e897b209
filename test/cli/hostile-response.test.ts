/**
 * The `importexport` command against a server that answers with too much or never finishes (issue 22 item 4): the
 * built CLI stops at its response cap (`--max-response-bytes` / `IMPORTEXPORT_MAX_RESPONSE_BYTES`, default 8 MiB)
 * and its whole-response deadline (`--cli-read-timeout` / `IMPORTEXPORT_CLI_READ_TIMEOUT`, seconds), each as one
 * error line with exit code 1; bad values are usage errors (exit 2).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { MiB, withHostileServer } from "../helpers/hostile-http";
import { ensureCliBuilt, isolatedEnv, runCli } from "./helpers";

const secret = "cli/Response+Secret=0123456789abcdef";

describe("importexport against a hostile answer", () => {
  const server = withHostileServer();
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv =>
    isolatedEnv({ AWS_ACCESS_KEY_ID: "HOSTILERESPONSE00001", AWS_SECRET_ACCESS_KEY: secret, AWS_MAX_ATTEMPTS: "1", ...extra });
  beforeAll(async () => {
    await ensureCliBuilt();
  }, 120_000);

  it("an endless body stops at the default cap: RESPONSE_TOO_LARGE, exit 1", async () => {
    const before = server().exchanges.length;
    const r = await runCli(["get-status", "--job-id", "ABCDE", "--endpoint-url", `${server().origin}/fast`], env());
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^importexport: RESPONSE_TOO_LARGE: GetStatus failed: .*maxResponseBytes \(8388608 bytes\)/);
    expect(r.stderr).not.toContain(secret);
    const mine = server().exchanges.slice(before);
    await Promise.all(mine.map((x) => x.closed));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.bytesWritten).toBeLessThan(8 * MiB + 16 * MiB);
  });

  it("--max-response-bytes lowers the cap; IMPORTEXPORT_MAX_RESPONSE_BYTES sets it, the flag wins", async () => {
    const flag = await runCli(["list-jobs", "--max-response-bytes", "65536", "--endpoint-url", `${server().origin}/huge?mib=1`], env());
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain("maxResponseBytes (65536 bytes)");
    const fromEnv = await runCli(["list-jobs", "--endpoint-url", `${server().origin}/huge?mib=1`], env({ IMPORTEXPORT_MAX_RESPONSE_BYTES: "131072" }));
    expect(fromEnv.stderr).toContain("maxResponseBytes (131072 bytes)");
    const both = await runCli(["list-jobs", "--max-response-bytes", "65536", "--endpoint-url", `${server().origin}/huge?mib=1`], env({ IMPORTEXPORT_MAX_RESPONSE_BYTES: "131072" }));
    expect(both.stderr).toContain("maxResponseBytes (65536 bytes)");
  });

  it("a trickling body ends at --cli-read-timeout (and at IMPORTEXPORT_CLI_READ_TIMEOUT): RESPONSE_TIMEOUT, exit 1", async () => {
    const flag = await runCli(["get-status", "--job-id", "ABCDE", "--cli-read-timeout", "1", "--endpoint-url", `${server().origin}/trickle`], env());
    expect(flag.code).toBe(1);
    expect(flag.stderr).toMatch(/^importexport: RESPONSE_TIMEOUT: .*no complete response within 1000 ms/);
    const fromEnv = await runCli(["get-status", "--job-id", "ABCDE", "--endpoint-url", `${server().origin}/trickle`], env({ IMPORTEXPORT_CLI_READ_TIMEOUT: "0.5" }));
    expect(fromEnv.stderr).toContain("no complete response within 500 ms");
  });

  it("bad values are usage errors naming the flag or variable (exit 2, nothing sent)", async () => {
    const before = server().exchanges.length;
    const bytes = await runCli(["list-jobs", "--max-response-bytes", "1.5", "--endpoint-url", `${server().origin}/fast`], env());
    expect(bytes.code).toBe(2);
    expect(bytes.stderr).toContain('importexport: UsageError: --max-response-bytes must be a positive whole number, found "1.5".');
    const timeout = await runCli(["list-jobs", "--endpoint-url", `${server().origin}/fast`], env({ IMPORTEXPORT_CLI_READ_TIMEOUT: "soon" }));
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toContain('IMPORTEXPORT_CLI_READ_TIMEOUT must be a positive number, found "soon".');
    const zero = await runCli(["list-jobs", "--cli-read-timeout", "0", "--endpoint-url", `${server().origin}/fast`], env());
    expect(zero.code).toBe(2);
    expect(server().exchanges.length).toBe(before);
  });
});
