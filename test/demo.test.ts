/**
 * `npm run demo` is the README's main command: run it end to end so it cannot rot. It must exit 0, tell the
 * create → update → replace → destroy story with Pulumi's own output, and leave no process behind.
 */
import { expect, it } from "vitest";
import { expectTidyEnd, runDemo } from "./helpers/demo";

it("npm run demo tells the whole story and cleans up", async () => {
  const { status, out, stderr, section } = runDemo();
  expect(status, `${out}\n${stderr}`).toBe(0);

  expect(section(1)).toMatch(/\+ 2 created/);
  expect(section(2)).toMatch(/~ 1 to update/);
  expect(section(3)).toMatch(/~ 1 updated/);
  expect(section(5)).toMatch(/\+-1 to replace/);
  expect(section(5)).toMatch(/will be replaced: manifest can change in place only while Pending, and it is InProgress/);
  expect(section(6)).toMatch(/\+-1 replaced/);
  expect(section(6)).toMatch(/was not cancelled/);
  expect(section(7)).toMatch(/- 2 deleted/);
  // The state's place is named, no secret reached the output, and the emulator it started is gone.
  await expectTidyEnd(out);
}, 420_000);
