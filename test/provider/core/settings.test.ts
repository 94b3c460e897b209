/** Provider settings from stack config (provider/config): precedence, fallbacks, and errors that name the key. */
import { describe, expect, it } from "vitest";
import { DEFAULT_IOT_REGION, ProviderConfigError, resolveIotSettings, resolveSettings } from "../../../provider/core/settings";
import { GLOBAL_ENDPOINT } from "../../../sdk/model";

const reader = (values: Record<string, string>) => ({ get: (k: string) => values[k] });

describe("resolveSettings", () => {
  it("reads importexport:* keys", () => {
    const s = resolveSettings(
      reader({
        "importexport:endpoint": "http://127.0.0.1:4599/",
        "importexport:region": "eu-west-1",
        "importexport:profile": "ops",
        "importexport:accessKeyId": "AKID",
        "importexport:secretAccessKey": "SECRET",
        "importexport:signatureVersion": "v4",
        "importexport:validateOnPreview": "False",
      }),
      {},
    );
    expect(s).toEqual({
      endpoint: "http://127.0.0.1:4599",
      endpointExplicit: true,
      region: "eu-west-1",
      profile: "ops",
      credentials: { accessKeyId: "AKID", secretAccessKey: "SECRET" },
      signatureVersion: "v4",
      validateOnPreview: false,
    });
  });

  it("falls back to aws:region / aws:profile, then the environment, then the global endpoint", () => {
    expect(resolveSettings(reader({ "aws:region": "us-west-2", "aws:profile": "dev" }), { AWS_REGION: "eu-west-1" })).toMatchObject({
      region: "us-west-2",
      profile: "dev",
      endpoint: GLOBAL_ENDPOINT,
      endpointExplicit: false,
    });
    expect(resolveSettings(reader({}), { AWS_DEFAULT_REGION: "eu-west-1", AWS_ENDPOINT_URL: "http://a:1" })).toMatchObject({
      region: "eu-west-1",
      endpoint: "http://a:1",
    });
    expect(resolveSettings(reader({}), { AWS_ENDPOINT_URL_IMPORTEXPORT: "http://b:2", AWS_ENDPOINT_URL: "http://a:1" }).endpoint).toBe("http://b:2");
    expect(resolveSettings(reader({ "importexport:endpoint": "http://c:3" }), { AWS_ENDPOINT_URL_IMPORTEXPORT: "http://b:2" }).endpoint).toBe("http://c:3");
  });

  it("leaves credentials and validateOnPreview to the defaults when unset", () => {
    const s = resolveSettings(reader({}), {});
    expect(s.credentials).toBeUndefined();
    expect(s.validateOnPreview).toBeUndefined();
  });

  it.each([
    [{ "importexport:endpoint": "not a url" }, "importexport:endpoint"],
    [{ "importexport:endpoint": "ftp://x" }, "importexport:endpoint"],
    // Refused here, naming the key, rather than later when the SDK builds the client.
    [{ "importexport:endpoint": "http://user:S3CR3T-VALUE@127.0.0.1:4599" }, "importexport:endpoint"],
    [{ "importexport:accessKeyId": "AKID" }, "importexport:secretAccessKey"],
    [{ "importexport:secretAccessKey": "S3CR3T-VALUE" }, "importexport:accessKeyId"],
    [{ "importexport:signatureVersion": "v3" }, "importexport:signatureVersion"],
    [{ "importexport:validateOnPreview": "maybe" }, "importexport:validateOnPreview"],
  ])("rejects %o naming %s", (values, key) => {
    let err: unknown;
    try {
      resolveSettings(reader(values), {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProviderConfigError);
    expect((err as ProviderConfigError).key).toBe(key);
    expect((err as Error).message).toContain(`Stack config ${key}:`);
    // A secret value never appears in the message.
    expect((err as Error).message).not.toContain("S3CR3T-VALUE");
  });
});

describe("resolveIotSettings (IotJob): importexport-iot:* → aws:* → environment → defaults", () => {
  it("reads importexport-iot:* keys", () => {
    expect(
      resolveIotSettings(
        reader({
          "importexport-iot:endpoint": "http://127.0.0.1:4599/",
          "importexport-iot:region": "eu-west-1",
          "importexport-iot:profile": "fleet",
          "importexport-iot:accessKeyId": "AKID",
          "importexport-iot:secretAccessKey": "SECRET",
          "importexport:endpoint": "http://elsewhere:1",
        }),
        { AWS_ENDPOINT_URL_IOT: "http://env:2", AWS_REGION: "ap-south-1" },
      ),
    ).toEqual({ endpoint: "http://127.0.0.1:4599", region: "eu-west-1", profile: "fleet", credentials: { accessKeyId: "AKID", secretAccessKey: "SECRET" } });
  });

  it("falls back to aws:region / aws:profile, then the environment, then us-east-1 and the SDK's regional endpoint", () => {
    expect(resolveIotSettings(reader({ "aws:region": "eu-central-1", "aws:profile": "p" }), { AWS_ENDPOINT_URL: "http://any:3" })).toEqual({ endpoint: "http://any:3", region: "eu-central-1", profile: "p" });
    expect(resolveIotSettings(reader({}), { AWS_ENDPOINT_URL_IOT: "http://iot:4", AWS_ENDPOINT_URL: "http://any:3", AWS_DEFAULT_REGION: "sa-east-1" })).toEqual({ endpoint: "http://iot:4", region: "sa-east-1" });
    expect(resolveIotSettings(reader({}), {})).toEqual({ region: DEFAULT_IOT_REGION });
    // The Import/Export side's keys are its own: they never point IoT anywhere.
    expect(resolveIotSettings(reader({ "importexport:endpoint": "http://ie:5", "importexport:accessKeyId": "A", "importexport:secretAccessKey": "S" }), {})).toEqual({ region: "us-east-1" });
  });

  it("errors name the key", () => {
    expect(() => resolveIotSettings(reader({ "importexport-iot:endpoint": "ftp://x" }), {})).toThrow(/^Stack config importexport-iot:endpoint: must be an http or https URL, found ftp:/);
    expect(() => resolveIotSettings(reader({ "importexport-iot:accessKeyId": "A" }), {})).toThrow(ProviderConfigError);
    expect(() => resolveIotSettings(reader({ "importexport-iot:accessKeyId": "A" }), {})).toThrow(/importexport-iot:secretAccessKey: accessKeyId and secretAccessKey go together/);
  });
});
