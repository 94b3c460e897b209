/**
 * The installed package's documentation stands on its own: every relative link in the packed README.md, docs/*.md
 * and examples' READMEs names a file (or directory) that is in the tarball, and every `#anchor` names a heading of
 * its target (GitHub's heading ids). A registry page or `node_modules/pulumi-importexport/` has no repository to
 * fall back on, so a link to a file the tarball lacks is a dead link there.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, posix } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packRepo, projectDir, tarballFiles } from "./packed";

/** Markdown without fenced code blocks and inline code spans (links there are examples, not links). */
function proseOf(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "").replace(/`[^`\n]*`/g, "");
}

/** Link targets of `[text](target)` and `![alt](target)` in prose. */
function linkTargets(markdown: string): string[] {
  return [...proseOf(markdown).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] ?? "");
}

/** GitHub's ids of a document's headings: lower case, punctuation dropped, spaces to `-`, repeats numbered. */
function headingIds(markdown: string): Set<string> {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  const withoutCode = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
  for (const m of withoutCode.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = (m[1] ?? "").toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n === 0 ? base : `${base}-${n}`);
  }
  return ids;
}

describe("links in the packed package's documentation", () => {
  let dir: string;
  let files: string[];
  let unpacked: string;

  beforeAll(async () => {
    dir = projectDir("links");
    const tarball = await packRepo(dir);
    files = tarballFiles(tarball);
    unpacked = join(dir, "unpacked");
    mkdirSync(unpacked);
    execFileSync("tar", ["-xzf", tarball, "-C", unpacked, "--strip-components=1"]);
  });
  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("ships the README, docs/ and the examples", () => {
    expect(files).toContain("README.md");
    expect(files).toContain("docs/cli.md");
    expect(files).toContain("docs/emulator.md");
    expect(files).toContain("examples/quickstart/index.ts");
  });

  it("every relative link (and its #anchor) resolves inside the tarball", () => {
    const markdown = files.filter((f) => f === "README.md" || (f.endsWith(".md") && (f.startsWith("docs/") || f.startsWith("examples/"))));
    const broken: string[] = [];
    let checked = 0;
    for (const file of markdown) {
      const text = readFileSync(join(unpacked, file), "utf8");
      for (const target of linkTargets(text)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: ...
        checked++;
        const [path = "", anchor] = target.split("#", 2);
        const resolved = path === "" ? file : posix.normalize(posix.join(posix.dirname(file), decodeURIComponent(path))).replace(/\/$/, "");
        const exists = files.includes(resolved) || files.some((f) => f.startsWith(`${resolved}/`));
        if (!exists || resolved.startsWith("..")) {
          broken.push(`${file}: ${target} (no ${resolved} in the tarball)`);
          continue;
        }
        if (anchor !== undefined && anchor !== "" && resolved.endsWith(".md") && !headingIds(readFileSync(join(unpacked, resolved), "utf8")).has(anchor)) {
          broken.push(`${file}: ${target} (no heading #${anchor} in ${resolved})`);
        }
      }
    }
    expect(broken).toEqual([]);
    // The README alone links to docs and examples: an empty scan would prove nothing.
    expect(checked).toBeGreaterThan(20);
  });
});
