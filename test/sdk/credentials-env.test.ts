/**
 * The default chain's first link without the chain (issue 25: the CLI's start-up): with no profile named, keys in the
 * environment are the credentials, as `@aws-sdk/credential-provider-node` would return them; with a profile named
 * (the `profile` option or `AWS_PROFILE`), the chain decides, as before. Each case is compared with the real chain
 * (`fromNodeProviderChain`) in the same environment.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveCredentials } from "../../sdk/credentials";

const VARS = [
  "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CREDENTIAL_EXPIRATION", "AWS_PROFILE",
  "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_EC2_METADATA_DISABLED",
] as const;

/** What the real chain answers in the current environment (only the members the client uses). */
async function chainAnswer(profile?: string): Promise<Record<string, unknown>> {
  const c = await fromNodeProviderChain(profile ? { profile } : {})();
  return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration };
}

async function ours(profile?: string): Promise<Record<string, unknown>> {
  const c = await resolveCredentials(undefined, profile ? { profile } : {})();
  return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration };
}

describe("credentials from the environment, as the default chain reads them", () => {
  const saved: Partial<Record<(typeof VARS)[number], string | undefined>> = {};
  beforeEach(() => {
    for (const v of VARS) {
      saved[v] = process.env[v];
      delete process.env[v];
    }
    // A profile file of its own, so that the chain never reads this machine's ~/.aws or asks IMDS.
    const dir = mkdtempSync(join(tmpdir(), "sdk-credentials-env-"));
    writeFileSync(join(dir, "credentials"), "[other]\naws_access_key_id = AKIDPROFILE0000000001\naws_secret_access_key = profile-secret\n");
    writeFileSync(join(dir, "config"), "");
    process.env["AWS_SHARED_CREDENTIALS_FILE"] = join(dir, "credentials");
    process.env["AWS_CONFIG_FILE"] = join(dir, "config");
    process.env["AWS_EC2_METADATA_DISABLED"] = "true";
  });
  afterEach(() => {
    for (const v of VARS) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
  });

  it("keys, session token and expiration from the environment, exactly as the chain returns them", async () => {
    process.env["AWS_ACCESS_KEY_ID"] = "AKIDENV00000000000001";
    process.env["AWS_SECRET_ACCESS_KEY"] = "env-secret";
    process.env["AWS_SESSION_TOKEN"] = "env-token";
    process.env["AWS_CREDENTIAL_EXPIRATION"] = "2099-01-01T00:00:00Z";
    const expected = await chainAnswer();
    expect(expected).toEqual({ accessKeyId: "AKIDENV00000000000001", secretAccessKey: "env-secret", sessionToken: "env-token", expiration: new Date("2099-01-01T00:00:00Z") });
    expect(await ours()).toEqual(expected);
  });

  it("AWS_PROFILE set: the profile's keys, not the environment's (the chain skips them)", async () => {
    process.env["AWS_ACCESS_KEY_ID"] = "AKIDENV00000000000001";
    process.env["AWS_SECRET_ACCESS_KEY"] = "env-secret";
    process.env["AWS_PROFILE"] = "other";
    const expected = await chainAnswer();
    expect(expected["accessKeyId"]).toBe("AKIDPROFILE0000000001");
    expect(await ours()).toEqual(expected);
  });

  it("the profile option: the profile's keys, not the environment's", async () => {
    process.env["AWS_ACCESS_KEY_ID"] = "AKIDENV00000000000001";
    process.env["AWS_SECRET_ACCESS_KEY"] = "env-secret";
    const expected = await chainAnswer("other");
    expect(expected["accessKeyId"]).toBe("AKIDPROFILE0000000001");
    expect(await ours("other")).toEqual(expected);
  });

  it("only one of the two keys set: the chain is asked, and its refusal comes through", async () => {
    process.env["AWS_ACCESS_KEY_ID"] = "AKIDENV00000000000001";
    await expect(chainAnswer()).rejects.toThrow();
    await expect(ours()).rejects.toMatchObject({ name: "CredentialsProviderError" });
  });
});

describe("undici: the transport's Agent", () => {
  it("undici/lib/dispatcher/agent is the very class require('undici').Agent returns", () => {
    const require = createRequire(__filename);
    expect(require("undici/lib/dispatcher/agent")).toBe((require("undici") as typeof import("undici")).Agent);
  });
});
