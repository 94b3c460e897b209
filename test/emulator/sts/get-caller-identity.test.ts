/**
 * STS as a registered service (emulator/sts/): it claims Query requests on `/` by their Action, whatever the
 * encoding, answers in its own namespace and version, and leaves every other Action to Import/Export.
 */
import { describe, expect, it } from "vitest";
import { withEmulator } from "../../helpers/emulator";
import { call } from "../raw-client";

const STS_XMLNS = 'xmlns="https://sts.amazonaws.com/doc/2011-06-15/"';

describe("emulator: STS GetCallerIdentity", () => {
  const emu = withEmulator();

  it("answers for the signing account, SigV4 (scope sts) and SigV2 alike, and counts it as a known action", async () => {
    const v4 = await call(emu().endpoint, "GetCallerIdentity", {}, { creds: emu().otherAccount, service: "sts", version: "2011-06-15" });
    expect([v4.status, v4.result.Account]).toEqual([200, emu().otherAccount.accountId]);
    expect(v4.result.Arn).toBe(`arn:aws:iam::${emu().otherAccount.accountId}:user/importexport-emulator`);
    expect(v4.text).toContain(STS_XMLNS);
    const v2 = await call(emu().endpoint, "GetCallerIdentity", {}, { creds: emu().account, sign: "v2", version: "2011-06-15" });
    expect([v2.status, v2.result.Account]).toEqual([200, emu().account.accountId]);
    expect((await emu().admin.stats()).byAction["GetCallerIdentity"]).toBe(2);
  });

  it("refuses Import/Export's version, naming its own, in its own namespace", async () => {
    const r = await call(emu().endpoint, "GetCallerIdentity", {}, { creds: emu().account, service: "sts", version: "2010-06-01" });
    expect([r.status, r.code]).toEqual([400, "InvalidAction"]);
    expect(r.message).toContain("(expected 2011-06-15)");
    expect(r.text).toContain(STS_XMLNS);
  });

  it("claims a percent-encoded Action too (the form is decoded before matching); other Actions stay Import/Export's", async () => {
    const encoded = await fetch(`${emu().endpoint}/`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "Action=%47etCallerIdentity&Version=2011-06-15" });
    const text = await encoded.text();
    expect(text).toContain(STS_XMLNS);
    expect(text).toContain("<Code>MissingAuthenticationToken</Code>");
    const other = await fetch(`${emu().endpoint}/`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "Action=GetStatus&Version=2010-06-01" });
    const otherText = await other.text();
    expect(otherText).not.toContain(STS_XMLNS);
    expect(otherText).toContain("<Code>MissingAuthenticationToken</Code>");
  });
});
