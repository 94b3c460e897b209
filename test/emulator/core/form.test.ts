/**
 * The Query form decoder's refusals name where the malformed component is: a parameter's name, or the value of a
 * named parameter (quoted printably), in the request body or the query string. parseForm builds that wording only
 * when a component is refused (issue 25: the emulator's hot path), so these pin the text it must still produce.
 */
import { describe, expect, test } from "vitest";
import { parseForm } from "../../../emulator/core/query/form";
import { ServiceError } from "../../../emulator/core/query/errors";

/** The ServiceError parseForm throws for `text`. */
function refusal(text: string, source: string): ServiceError {
  try {
    parseForm(text, source);
  } catch (e) {
    if (e instanceof ServiceError) return e;
    throw e;
  }
  throw new Error(`parseForm accepted ${JSON.stringify(text)}`);
}

describe("parseForm: a refused component is placed by name and source", () => {
  test("bad percent-encoding in a value names the parameter", () => {
    const e = refusal("Action=GetStatus&JobId=AB%ZZ", "request body");
    expect(e.code).toBe("MalformedQueryString");
    expect(e.message).toBe('Invalid percent-encoding in value of parameter "JobId": "%ZZ" is not two hexadecimal digits.');
  });

  test("bad percent-encoding in a name says it is a name, and where", () => {
    expect(refusal("Act%Gion=GetStatus", "query string").message).toBe('Invalid percent-encoding in parameter name in the query string: "%Gi" is not two hexadecimal digits.');
  });

  test("bytes that are not UTF-8 after decoding: the value's parameter, quoted printably", () => {
    expect(refusal("Manifest=%FF%FE", "request body").message).toBe('The value of parameter "Manifest" is not valid UTF-8 after percent-decoding.');
    // A control character in the name is shown as `?`, never echoed raw into the message.
    expect(refusal("Bad%0AName=%C3%28", "request body").message).toBe('The value of parameter "Bad?Name" is not valid UTF-8 after percent-decoding.');
    expect(refusal("%FF=1", "request body").message).toBe("The parameter name in the request body is not valid UTF-8 after percent-decoding.");
  });

  test("well-formed forms decode as before", () => {
    expect([...parseForm("Action=GetStatus&JobId=AB%2BC+D&Empty=", "request body")]).toEqual([["Action", "GetStatus"], ["JobId", "AB+C D"], ["Empty", ""]]);
  });
});
