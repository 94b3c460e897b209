import { describe, expect, it } from "vitest";
import { createClient } from "../../cli/client";

describe("the CLI's client settings", () => {
  it("reads endpoint and region from the environment it is given, blank variables falling through (as the SDK does)", async () => {
    const env = { AWS_ENDPOINT_URL_IMPORTEXPORT: " ", AWS_ENDPOINT_URL: "http://127.0.0.1:4599", AWS_REGION: "", AWS_DEFAULT_REGION: "eu-west-1" };
    const client = createClient({}, env);
    try {
      expect([client.endpoint.url.href, client.region]).toEqual(["http://127.0.0.1:4599/", "eu-west-1"]);
    } finally {
      await client.destroy();
    }
    const flagged = createClient({ region: "us-west-2", endpointUrl: "http://127.0.0.1:1" }, env);
    expect([flagged.endpoint.source, flagged.region]).toEqual(["option", "us-west-2"]);
    await flagged.destroy();
  });

  it("refuses a bad --signature-version and a bad endpoint variable, naming the flag or the variable", () => {
    expect(() => createClient({ signatureVersion: "v3" }, {})).toThrow('--signature-version must be "v2" or "v4", found "v3".');
    expect(() => createClient({}, { AWS_ENDPOINT_URL: "not a url" })).toThrow(/^AWS_ENDPOINT_URL is not a URL/);
  });
});
