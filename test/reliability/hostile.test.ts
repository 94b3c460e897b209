/**
 * Hostile input against a spawned emulator process (issue 13, part 3, the wire half): ≥ 10,000 generated requests —
 * random bytes, bodies far over the limit (50 MB ones included), broken signatures, expired timestamps, keys of
 * another account (or a key with the wrong secret), YAML alias bombs and deep nesting in validly signed manifests,
 * bad UTF-8 — while a few connections trickle slow bodies. Expected: 0 5xx, 0 crashes (the process is still
 * running), 0 answers slower than 10 s, the emulator's RSS bounded, and a valid GetStatus answers afterwards.
 * Everything the run produced (answers, the emulator's stderr log, its journal) is swept for secrets.
 *
 * test/emulator/importexport/fuzz.test.ts checks the *shape* of answers to random Query requests in process; this run adds the
 * attack classes above, a separate process (crashes and RSS are the process's), and the clock.
 */
import { request, Agent } from "node:http";
import { describe, expect, it } from "vitest";
import { prng } from "../../emulator/core/faults";
import { ImportExportClient } from "../../sdk/client";
import { sigV4Scope } from "../../sdk/endpoint";
import { signV2 } from "../../sdk/signing/sigv2";
import { signV4 } from "../../sdk/signing/sigv4";
import { importManifest } from "../helpers/manifests";
import { rssOf, withSpawnedEmulator } from "./spawned";
import { recordFigures, scaled } from "./scale";
import { accountSecrets, filesUnder, sweepSecrets, type Secret } from "./secrets";

const REQUESTS = scaled({ test: 10_000, soak: 30_000 });
const HUGE_BODIES = scaled({ test: 3, soak: 20 }); // 50 MB each
const SLOW_CONNECTIONS = 4;
const HANG_MS = 10_000;
const RSS_LIMIT_MIB = 400;

interface Answer {
  status: number;
  body: string;
  ms: number;
}


describe("hostile input against the emulator process", () => {
  const spawned = withSpawnedEmulator("hostile");

  it(`${REQUESTS} generated hostile requests: 0 5xx, 0 crashes, 0 hangs, bounded RSS, still answering`, async () => {
    const { emu, dataDir } = spawned();
    const url = new URL(emu.endpoint);
    const [alice, bob] = emu.accounts;
    if (!alice || !bob) throw new Error("two accounts expected");
    const seed = Number(process.env["HOSTILE_SEED"] ?? 1313);
    const rand = prng(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const signatures = new Set<string>();

    const send = (headers: Record<string, string>, body: Buffer | string, path = "/", timeoutMs = HANG_MS): Promise<Answer> =>
      new Promise((resolve, reject) => {
        const started = performance.now();
        const req = request({ host: url.hostname, port: url.port, method: "POST", path, headers, agent, timeout: timeoutMs }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - started }));
          res.on("error", reject);
        });
        req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        req.on("error", reject);
        req.end(body);
      });

    const form = (p: Record<string, string>): string => Object.entries(p).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
    const v2 = (params: Record<string, string>, creds: { accessKeyId: string; secretAccessKey: string }, now = new Date()): Record<string, string> => {
      const signed = signV2({ Version: "2010-06-01", ...params }, { method: "POST", host: url.host, path: "/", credentials: creds, signatureMethod: "HmacSHA256", now });
      if (signed["Signature"]) signatures.add(signed["Signature"]);
      return signed;
    };
    const v4 = async (body: string, creds: { accessKeyId: string; secretAccessKey: string }, now = new Date()): Promise<Record<string, string>> => {
      const h = await signV4({ method: "POST", protocol: "http:", hostname: url.hostname, port: Number(url.port), path: "/", headers: { host: url.host, "content-type": "application/x-www-form-urlencoded; charset=utf-8" }, body }, creds, sigV4Scope(url, "us-east-1"), now);
      const sig = /Signature=([0-9a-f]+)/.exec(h["authorization"] ?? "")?.[1];
      if (sig) signatures.add(sig);
      delete h["host"];
      return h;
    };
    const formHeaders = { "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
    const randomBytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));

    // A job of alice's for the cross-account attempts.
    const aliceClient = new ImportExportClient({ endpoint: emu.endpoint, credentials: alice });
    const aliceJob = (await aliceClient.createJob({ JobType: "Import", Manifest: importManifest("alice-import"), ValidateOnly: false })).JobId ?? "";

    const aliasBomb = (levels: number): string => {
      const lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
      for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(", ")}]`);
      return `${importManifest("alice-import")}\n${lines.join("\n")}\n`;
    };
    const deepFlow = (depth: number): string => `${importManifest("alice-import")}\nnotes: ${"[".repeat(depth)}x${"]".repeat(depth)}\n`;
    const deepBlock = (depth: number): string => `${importManifest("alice-import")}\nnotes:\n${Array.from({ length: depth }, (_, i) => `${" ".repeat(i + 1)}k${i}:`).join("\n")} end\n`;
    const badUtf8 = (): Buffer => Buffer.concat([Buffer.from(form(v2({ Action: "CreateJob", JobType: "Import", ValidateOnly: "true", Manifest: "x" }, alice)).replace(/Manifest=x/, "Manifest=")), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80])]);

    type Kind = "random-bytes" | "big-body" | "broken-signature" | "expired" | "cross-account" | "wrong-secret" | "alias-bomb" | "deep-nesting" | "bad-utf8" | "valid";
    const kinds: Kind[] = ["random-bytes", "big-body", "broken-signature", "expired", "cross-account", "wrong-secret", "alias-bomb", "deep-nesting", "bad-utf8", "valid"];
    const byKind = new Map<Kind, number>();
    const byStatus = new Map<number, number>();
    const fiveXX: string[] = [];
    const hangs: string[] = [];
    const latencies: number[] = [];
    const maxMsByKind = new Map<Kind, number>();
    const answers: string[] = [];

    const one = async (i: number): Promise<void> => {
      const kind = pick(kinds);
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
      let headers: Record<string, string> = { ...formHeaders };
      let body: Buffer | string = "";
      switch (kind) {
        case "random-bytes":
          body = randomBytes(Math.floor(rand() * 4096));
          if (rand() < 0.5) headers = { "content-type": pick(["application/octet-stream", "text/xml", "application/x-www-form-urlencoded"]) };
          break;
        case "big-body":
          body = Buffer.alloc(1024 * 1024 + 1 + Math.floor(rand() * 1024 * 1024), 0x61); // just over the 1 MiB limit
          break;
        case "broken-signature": {
          const p = v2({ Action: pick(["GetStatus", "ListJobs", "CancelJob"]), JobId: aliceJob }, alice);
          const s = p["Signature"] ?? "";
          p["Signature"] = `${s.slice(0, 5)}${s[5] === "A" ? "B" : "A"}${s.slice(6)}`;
          body = form(p);
          if (rand() < 0.5) {
            const b = form({ Action: "ListJobs", Version: "2010-06-01" });
            headers = { ...formHeaders, ...(await v4(b, alice)) };
            headers["authorization"] = (headers["authorization"] ?? "").replace(/Signature=([0-9a-f])/, (_m, c: string) => `Signature=${c === "0" ? "1" : "0"}`);
            body = b;
          }
          break;
        }
        case "expired": {
          const old = new Date(Date.now() - (16 + Math.floor(rand() * 10_000)) * 60_000);
          if (rand() < 0.5) body = form(v2({ Action: "ListJobs" }, alice, old));
          else {
            const b = form({ Action: "ListJobs", Version: "2010-06-01" });
            headers = { ...formHeaders, ...(await v4(b, alice, old)) };
            body = b;
          }
          break;
        }
        case "cross-account":
          body = form(v2({ Action: pick(["GetStatus", "CancelJob", "UpdateJob"]), JobId: aliceJob, JobType: "Import", Manifest: importManifest("alice-import"), ValidateOnly: "true" }, bob));
          break;
        case "wrong-secret":
          body = form(v2({ Action: "ListJobs" }, { accessKeyId: alice.accessKeyId, secretAccessKey: bob.secretAccessKey }));
          break;
        case "alias-bomb":
          body = form(v2({ Action: "CreateJob", JobType: "Import", ValidateOnly: "true", Manifest: aliasBomb(3 + Math.floor(rand() * 7)) }, alice));
          break;
        case "deep-nesting": {
          const depth = pick([100, 1_000, 5_000, 20_000]);
          body = form(v2({ Action: "CreateJob", JobType: "Import", ValidateOnly: "true", Manifest: rand() < 0.5 ? deepFlow(depth) : deepBlock(Math.min(depth, 2_000)) }, alice));
          break;
        }
        case "bad-utf8":
          body = badUtf8();
          break;
        case "valid":
          body = form(v2(pick([{ Action: "GetStatus", JobId: aliceJob }, { Action: "ListJobs" }, { Action: "CreateJob", JobType: "Import", ValidateOnly: "true", Manifest: importManifest("alice-import") }]), alice));
          break;
      }
      let a: Answer;
      try {
        a = await send(headers, body);
      } catch (e) {
        const msg = (e as Error).message;
        if (/no answer within/.test(msg)) hangs.push(`#${i} ${kind}`);
        // The server may close a connection it refused (over-limit bodies): a reset is an answer, not a 5xx.
        byStatus.set(0, (byStatus.get(0) ?? 0) + 1);
        return;
      }
      byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
      latencies.push(a.ms);
      maxMsByKind.set(kind, Math.max(maxMsByKind.get(kind) ?? 0, Math.round(a.ms)));
      if (a.status >= 500) fiveXX.push(`#${i} ${kind} ${a.status} ${a.body.slice(0, 200)}`);
      if (a.ms > HANG_MS) hangs.push(`#${i} ${kind} ${Math.round(a.ms)} ms`);
      if (answers.length < 2_000 || a.status !== 200) answers.push(a.body);
    };

    /** A body trickled in small pieces over about `ms`, then completed (a valid ListJobs). */
    const slowBody = (ms: number): Promise<Answer> =>
      new Promise((resolve, reject) => {
        const body = Buffer.from(form(v2({ Action: "ListJobs", MaxJobs: "10" }, alice)));
        const started = performance.now();
        const req = request({ host: url.hostname, port: url.port, method: "POST", path: "/", headers: { ...formHeaders, "content-length": String(body.length) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - started }));
        });
        req.on("error", reject);
        const pieces = 20;
        const size = Math.ceil(body.length / pieces);
        let k = 0;
        const tick = (): void => {
          if (k >= pieces) return void req.end();
          req.write(body.subarray(k * size, (k + 1) * size));
          k++;
          setTimeout(tick, ms / pieces);
        };
        tick();
      });

    /** A 50 MB body: the emulator must answer (or close) without reading it all, and without growing. */
    const hugeBody = (): Promise<string> =>
      new Promise((resolve) => {
        const chunk = Buffer.alloc(1024 * 1024, 0x62);
        const req = request({ host: url.hostname, port: url.port, method: "POST", path: "/", headers: { ...formHeaders, "content-length": String(50 * 1024 * 1024) }, timeout: HANG_MS }, (res) => {
          res.resume();
          res.on("end", () => resolve(String(res.statusCode)));
        });
        req.on("timeout", () => {
          hangs.push("50 MB body");
          req.destroy();
        });
        req.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
        let sent = 0;
        const write = (): void => {
          while (sent < 50 && req.write(chunk)) sent++;
          if (sent < 50) req.once("drain", () => { sent++; write(); });
          else req.end();
        };
        write();
      });

    const pid = emu.child.pid ?? 0;
    const rssStart = rssOf(pid);
    let rssMax = rssStart;
    const sampler = setInterval(() => {
      try {
        rssMax = Math.max(rssMax, rssOf(pid));
      } catch {
        // The process is gone: the crash check below reports it.
      }
    }, 200);
    const started = Date.now();
    try {
      const slow = Array.from({ length: SLOW_CONNECTIONS }, () => slowBody(3_000));
      const huge: string[] = [];
      for (let h = 0; h < HUGE_BODIES; h++) huge.push(await hugeBody());
      let next = 0;
      await Promise.all(Array.from({ length: 16 }, async () => { while (next < REQUESTS) await one(next++); }));
      const slowAnswers = await Promise.all(slow);
      const seconds = (Date.now() - started) / 1000;

      expect(emu.child.exitCode, "the emulator process crashed").toBeNull();
      const after = await aliceClient.getStatus({ JobId: aliceJob });
      expect(after.JobId).toBe(aliceJob);
      expect(fiveXX).toEqual([]);
      expect(hangs).toEqual([]);
      expect(slowAnswers.map((a) => a.status)).toEqual(Array.from({ length: SLOW_CONNECTIONS }, () => 200));
      for (const h of huge) expect(h).toMatch(/^(4\d\d|EPIPE|ECONNRESET)$/);
      const rssEnd = rssOf(pid);
      expect(rssMax).toBeLessThan(RSS_LIMIT_MIB);

      const secrets: Secret[] = [...accountSecrets(emu.accounts), ...[...signatures].map((value) => ({ kind: "request signature" as const, value }))];
      const findings = sweepSecrets([{ name: "answers", text: answers.join("\n") }, { name: "emulator stderr", text: emu.stderr() }, ...filesUnder(dataDir, "journal")], secrets);
      expect(findings).toEqual([]);
      latencies.sort((x, y) => x - y);
      const q = (p: number): number => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0);
      recordFigures("hostile-requests", {
        requests: REQUESTS + HUGE_BODIES + SLOW_CONNECTIONS, seed, seconds, byKind: Object.fromEntries(byKind), byStatus: Object.fromEntries(byStatus), maxMsByKind: Object.fromEntries(maxMsByKind),
        fiveXX: fiveXX.length, hangs: hangs.length, hugeBodies: huge, slowBodyMs: slowAnswers.map((a) => Math.round(a.ms)),
        p50Ms: q(0.5), p99Ms: q(0.99), maxMs: q(1), rssStartMiB: rssStart, rssMaxMiB: rssMax, rssEndMiB: rssEnd, crashed: false,
        secretsFound: findings.length, secretsSearched: secrets.length,
      });
    } finally {
      clearInterval(sampler);
      agent.destroy();
      await aliceClient.destroy();
    }
  }, scaled({ test: 240_000, soak: 900_000 }));
});
