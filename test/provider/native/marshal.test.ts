/** The engine's wire form of property values (Struct, secrets, unknowns) ⇄ plain values (provider/native/marshal). */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { describe, expect, it } from "vitest";
import { SECRET_SIGNATURE, SIGNATURE_KEY, UNKNOWN_VALUE, UnsupportedValueError, isUnknown, marshal, unmarshal } from "../../../provider/native/marshal";

const secret = (value: unknown) => ({ [SIGNATURE_KEY]: SECRET_SIGNATURE, value });

describe("unmarshal", () => {
  it("unwraps secrets at any depth and remembers the top-level properties that held one", () => {
    const s = Struct.fromJavaScript({ a: secret("k"), b: { c: [1, secret({ d: true })] }, e: "plain" } as never);
    const u = unmarshal(s);
    expect(u.values).toEqual({ a: "k", b: { c: [1, { d: true }] }, e: "plain" });
    expect([...u.secrets].sort()).toEqual(["a", "b"]);
  });

  it("keeps the unknown marker as it is (the runtimes understand it)", () => {
    const u = unmarshal(Struct.fromJavaScript({ manifest: UNKNOWN_VALUE, x: { y: UNKNOWN_VALUE } }));
    expect(u.values).toEqual({ manifest: UNKNOWN_VALUE, x: { y: UNKNOWN_VALUE } });
    expect(isUnknown(u.values["x"])).toBe(true);
    expect(isUnknown({ y: "known" })).toBe(false);
  });

  it("refuses an asset or resource reference, naming the property path", () => {
    const s = Struct.fromJavaScript({ shippingLabel: { file: { [SIGNATURE_KEY]: "c44067f5952c0a294b673a41bacd8c17", path: "/x" } } } as never);
    expect(() => unmarshal(s)).toThrow(UnsupportedValueError);
    expect(() => unmarshal(s)).toThrow(/property shippingLabel\.file/);
  });

  it("reads an absent Struct as no properties", () => {
    expect(unmarshal(undefined)).toEqual({ values: {}, secrets: new Set() });
  });
});

describe("marshal", () => {
  it("wraps the named top-level properties as secrets, once, and only when present", () => {
    const s = marshal({ signing: { signature: "sig" }, status: { progressCode: "Pending" }, already: secret("x") }, ["signing", "already", "absent"]);
    expect(s.toJavaScript()).toEqual({
      signing: secret({ signature: "sig" }),
      status: { progressCode: "Pending" },
      already: secret("x"),
    });
  });

  it("drops undefined members at any depth (a Struct cannot carry them) and round-trips with unmarshal", () => {
    const values = { a: undefined, b: { c: undefined, d: 1 }, e: ["x", undefined] };
    const back = unmarshal(marshal(values, ["b"]));
    expect(back.values).toEqual({ b: { d: 1 }, e: ["x", null] });
    expect([...back.secrets]).toEqual(["b"]);
  });
});
