import { describe, expect, test } from "vitest";
import * as sdk from "../../sdk/index";
import { errors as errorModels } from "../../sdk/model";
import { ENDPOINT_ENV_VARS, fromEnvironment, resolveEndpoint, resolveRegion, resolveStsEndpoint, sigV4Scope } from "../../sdk/endpoint";
import { isSignatureVersion, signatureVersions } from "../../sdk/signing/versions";
import { resolveSettings } from "../../provider/core/settings";
import { resolveCredentials } from "../../sdk/credentials";

const meta = { httpStatusCode: 400, requestId: "r", attempts: 1, totalRetryDelay: 0 };

describe("error classes", () => {
  test("one exported class per known code: name = wire code, $fault, $retryable, instanceof", () => {
    const codes = Object.keys(errorModels);
    expect(codes).toHaveLength(34);
    for (const code of codes) {
      const cls = (sdk as unknown as Record<string, new (o: { $metadata: typeof meta }) => sdk.ImportExportServiceException>)[code];
      expect(cls, code).toBeTypeOf("function");
      const err = new cls!({ $metadata: meta });
      const model = errorModels[code as keyof typeof errorModels];
      expect(err).toBeInstanceOf(sdk.ImportExportServiceException);
      expect(err).toBeInstanceOf(Error);
      expect(err.name).toBe(code);
      expect(err.$fault).toBe(model.fault);
      expect(err.$retryable).toEqual(model.retryable ? { throttling: model.retryable === "throttling" } : undefined);
      expect(err.message).toBe(model.message);
      expect(sdk.errorFromCode(code, "m", meta)).toBeInstanceOf(cls!);
    }
  });

  test("an unknown code gives the base class carrying the raw code", () => {
    const err = sdk.errorFromCode("BrandNewException", "new", { ...meta, httpStatusCode: 502 });
    expect(err.constructor).toBe(sdk.ImportExportServiceException);
    expect(err.name).toBe("BrandNewException");
    expect(err.code).toBe("BrandNewException");
    expect(err.$fault).toBe("server");
  });

  test("MalformedResponseError keeps a truncated excerpt off the message and off JSON", () => {
    const err = new sdk.MalformedResponseError(502, "x".repeat(1000), meta);
    expect(err.message).toContain("502");
    expect(err.message).not.toContain("xxx");
    expect(err.bodyExcerpt.length).toBeLessThanOrEqual(257);
    expect(JSON.stringify(err)).not.toContain("xxx");
  });

  test("redactSecrets removes raw and percent-encoded secrets", () => {
    expect(sdk.redactSecrets("key abc/def+ghi and abc%2Fdef%2Bghi", ["abc/def+ghi", undefined, "x"])).toBe("key *** and ***");
  });

  test("AmbiguousCreateJobError keeps the manifest but not in JSON", () => {
    const err = new sdk.AmbiguousCreateJobError("Import", "trueCryptPassword: hunter22\n", new Date(0), new Error("socket closed"), meta);
    expect(err.manifest).toContain("hunter22");
    expect(JSON.stringify(err)).not.toContain("hunter22");
    expect(err.message).not.toContain("hunter22");
  });
});

describe("endpoint and region", () => {
  test("explicit > AWS_ENDPOINT_URL_IMPORTEXPORT > AWS_ENDPOINT_URL > global", () => {
    const env = { AWS_ENDPOINT_URL_IMPORTEXPORT: "http://svc:1", AWS_ENDPOINT_URL: "http://all:2" };
    expect(resolveEndpoint("http://x:3", env)).toMatchObject({ source: "option" });
    expect(resolveEndpoint(undefined, env).url.href).toBe("http://svc:1/");
    expect(resolveEndpoint(undefined, { AWS_ENDPOINT_URL: "http://all:2" }).url.href).toBe("http://all:2/");
    expect(resolveEndpoint(undefined, {})).toMatchObject({ source: "default" });
    expect(resolveEndpoint(undefined, {}).url.href).toBe("https://importexport.amazonaws.com/");
  });

  test("bad endpoints are refused with the source named", () => {
    expect(() => resolveEndpoint(undefined, { AWS_ENDPOINT_URL: "not a url" })).toThrow(/AWS_ENDPOINT_URL/);
    expect(() => resolveEndpoint("ftp://x", {})).toThrow(/http or https/);
    expect(() => resolveEndpoint("http://user:pw@x", {})).toThrow(/credentials/);
  });

  test("one reading of the environment for SDK, provider and CLI: blank values fall through, values are trimmed", () => {
    const env = { AWS_ENDPOINT_URL_IMPORTEXPORT: "  ", AWS_ENDPOINT_URL: " http://all:2 ", AWS_REGION: "", AWS_DEFAULT_REGION: "eu-west-1" };
    expect(fromEnvironment(ENDPOINT_ENV_VARS, env)).toEqual({ value: "http://all:2", name: "AWS_ENDPOINT_URL" });
    expect(resolveEndpoint(undefined, env)).toMatchObject({ source: "AWS_ENDPOINT_URL" });
    expect(resolveSettings({ get: () => undefined }, env)).toMatchObject({ endpoint: "http://all:2", endpointExplicit: true, region: "eu-west-1" });
    expect(resolveRegion(undefined, env)).toBe("eu-west-1");
    expect(fromEnvironment(ENDPOINT_ENV_VARS, {})).toBeUndefined();
  });

  test("signatureVersion: one check and one wording for the client option, stack config and the CLI flag", () => {
    expect(signatureVersions.filter(isSignatureVersion)).toEqual(["v2", "v4"]);
    expect(isSignatureVersion("V4")).toBe(false);
    expect(() => new sdk.ImportExportClient({ signatureVersion: "v3" as "v4" })).toThrow('signatureVersion must be "v2" or "v4", found "v3".');
    expect(() => resolveSettings({ get: (k) => (k === "importexport:signatureVersion" ? "v3" : undefined) }, {})).toThrow(
      'Stack config importexport:signatureVersion: must be "v2" or "v4", found "v3".',
    );
  });

  test("region and SigV4 scope", () => {
    expect(resolveRegion(undefined, { AWS_REGION: "eu-west-1", AWS_DEFAULT_REGION: "x" })).toBe("eu-west-1");
    expect(resolveRegion(undefined, {})).toBe("us-east-1");
    expect(sigV4Scope(new URL("https://importexport.amazonaws.com"), "eu-west-1")).toEqual({ service: "IngestionService", region: "us-east-1" });
    expect(sigV4Scope(new URL("http://127.0.0.1:4599"), "eu-west-1")).toEqual({ service: "IngestionService", region: "eu-west-1" });
    expect(resolveStsEndpoint(undefined, { AWS_ENDPOINT_URL_STS: "http://sts", AWS_ENDPOINT_URL: "http://all" })).toBe("http://sts");
    expect(resolveStsEndpoint(undefined, {})).toBeUndefined();
  });
});

describe("credentials", () => {
  test("static keys are checked and returned", async () => {
    await expect(resolveCredentials({ accessKeyId: "A", secretAccessKey: "S" })()).resolves.toEqual({ accessKeyId: "A", secretAccessKey: "S" });
    expect(() => resolveCredentials({ accessKeyId: "", secretAccessKey: "S" })).toThrow(/accessKeyId/);
  });

  test("a provider is memoized until 5 minutes before expiration", async () => {
    let calls = 0;
    const soon = resolveCredentials(async () => ({ accessKeyId: `A${++calls}`, secretAccessKey: "S", expiration: new Date(Date.now() + 60_000) }));
    expect((await soon()).accessKeyId).toBe("A1");
    expect((await soon()).accessKeyId).toBe("A2");
    calls = 0;
    const later = resolveCredentials(async () => ({ accessKeyId: `B${++calls}`, secretAccessKey: "S", expiration: new Date(Date.now() + 3_600_000) }));
    await later();
    expect((await later()).accessKeyId).toBe("B1");
  });

  test("concurrent first calls share one resolution: the provider is asked once, all get the same credentials", async () => {
    let calls = 0;
    const slow = resolveCredentials(async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 20));
      return { accessKeyId: `C${calls}`, secretAccessKey: "S" };
    });
    const all = await Promise.all(Array.from({ length: 8 }, () => slow()));
    expect(calls).toBe(1);
    for (const c of all) expect(c).toBe(all[0]);
    // A failed resolution is not kept: the next call asks again.
    let fail = true;
    const flaky = resolveCredentials(async () => {
      if (fail) throw new Error("not yet");
      return { accessKeyId: "D", secretAccessKey: "S" };
    });
    await expect(Promise.all([flaky(), flaky()])).rejects.toThrow("not yet");
    fail = false;
    await expect(flaky()).resolves.toEqual({ accessKeyId: "D", secretAccessKey: "S" });
  });

  test("concurrent first calls of the default chain build one chain (one credentials object for all)", async () => {
    const saved = { id: process.env["AWS_ACCESS_KEY_ID"], key: process.env["AWS_SECRET_ACCESS_KEY"], profile: process.env["AWS_PROFILE"] };
    process.env["AWS_ACCESS_KEY_ID"] = "AKIDCHAIN00000000001";
    process.env["AWS_SECRET_ACCESS_KEY"] = "chain-secret";
    delete process.env["AWS_PROFILE"];
    try {
      const chain = resolveCredentials(undefined);
      // Two chains would each read the environment and hand out two different objects.
      const [a, b, c] = await Promise.all([chain(), chain(), chain()]);
      expect(a?.accessKeyId).toBe("AKIDCHAIN00000000001");
      expect(b).toBe(a);
      expect(c).toBe(a);
    } finally {
      for (const [name, value] of [["AWS_ACCESS_KEY_ID", saved.id], ["AWS_SECRET_ACCESS_KEY", saved.key], ["AWS_PROFILE", saved.profile]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
