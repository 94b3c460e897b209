/**
 * Gaps in the admin guard that no browser opens today, closed anyway (issue 22 item 10): an `https://` Origin with the
 * emulator's own host:port is another origin; `Sec-Fetch-Site` is compared whatever its letter case (and every value
 * of a repeated one counts); a request with two Host headers is refused, whichever of them is the local one. Raw
 * sockets, so the requests are exactly these bytes.
 */
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { withGuardedJob } from "./admin-guard-fixture";

interface Answer {
  status: number;
  body: string;
}

/** Sends `head` lines (request line first, no Host added) and an optional body over a fresh socket; reads the whole answer. */
function rawRequest(endpoint: string, head: string[], body = ""): Promise<Answer> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", reject);
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf("\r\n\r\n") + 4) });
    });
    const lines = [...head, `Content-Length: ${Buffer.byteLength(body)}`, "Connection: close"];
    socket.end(`${lines.join("\r\n")}\r\n\r\n${body}`);
  });
}

describe("admin guard: scheme, header case and repeated Host", () => {
  const { emu, ep, bound, jobId, nothingChanged } = withGuardedJob();
  const advance = (): string => `POST /_emulator/jobs/${jobId()}/advance HTTP/1.1`;

  it("an https Origin with the emulator's own host:port is refused; the http one passes", async () => {
    for (const origin of [`https://${bound()}`, `HTTPS://${bound()}`, `ws://${bound()}`]) {
      for (const [line, body] of [[advance(), "{}"], ["POST /_emulator/faults HTTP/1.1", '{"action":"*","kind":"error"}'], ["GET /_emulator/ui/state HTTP/1.1", ""]] as const) {
        const a = await rawRequest(ep(), [line, `Host: ${bound()}`, `Origin: ${origin}`, "Content-Type: application/json"], body);
        expect({ origin, line, status: a.status }).toEqual({ origin, line, status: 403 });
        expect(a.body).toContain("cross-site admin calls are refused");
      }
    }
    await nothingChanged();
    const own = await rawRequest(ep(), [advance(), `Host: ${bound()}`, `Origin: http://${bound()}`, "Content-Type: application/json"], "{}");
    expect(own.status).toBe(200);
  });

  it("Sec-Fetch-Site is refused in any letter case, and when any value of a repeated header is cross-site", async () => {
    for (const site of [["CROSS-SITE"], ["Cross-Site"], ["SAME-SITE"], [" same-site "], ["same-origin", "cross-site"], ["same-origin, CROSS-SITE"]]) {
      const a = await rawRequest(ep(), [advance(), `Host: ${bound()}`, ...site.map((v) => `Sec-Fetch-Site: ${v}`), "Content-Type: application/json"], "{}");
      expect({ site, status: a.status }).toEqual({ site, status: 403 });
      expect(a.body).toContain("admin calls from another site are refused");
    }
    await nothingChanged();
    for (const site of ["SAME-ORIGIN", "none"]) {
      const a = await rawRequest(ep(), ["GET /_emulator/accounts HTTP/1.1", `Host: ${bound()}`, `Sec-Fetch-Site: ${site}`]);
      expect({ site, status: a.status }).toEqual({ site, status: 200 });
    }
  });

  it("a request with two Host headers is refused (400) whichever comes first, and changes nothing", async () => {
    for (const hosts of [[bound(), "evil.example"], ["evil.example", bound()], [bound(), bound()], ["localhost", `127.0.0.1:${new URL(ep()).port}`]]) {
      for (const [line, body] of [[advance(), "{}"], ["POST /_emulator/reset HTTP/1.1", "{}"], ["GET /_emulator/ui/state HTTP/1.1", ""], ["GET /_emulator/accounts HTTP/1.1", ""]] as const) {
        const a = await rawRequest(ep(), [line, ...hosts.map((h) => `Host: ${h}`), "Content-Type: application/json"], body);
        expect({ hosts, line, status: a.status }).toEqual({ hosts, line, status: 400 });
        expect(a.body).toContain("2 Host headers");
        for (const s of emu().accounts.map((x) => x.secretAccessKey)) expect(a.body).not.toContain(s);
      }
    }
    await nothingChanged();
    const one = await rawRequest(ep(), ["GET /_emulator/accounts HTTP/1.1", `Host: ${bound()}`]);
    expect(one.status).toBe(200);
  });
});
