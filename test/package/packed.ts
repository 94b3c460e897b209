/**
 * The package as a user gets it: one `npm pack` of the repo per test file, unpacked into a project directory with
 * scripts/install-packed.mjs (a real directory in the project's node_modules, as `npm install <tarball>` leaves it).
 *
 * Projects live in the system temp directory, outside the repo: inside it, Node and TypeScript would walk up to the
 * repo's own `node_modules/pulumi-importexport` link and its sources, and hide what the tarball lacks. The package's
 * dependencies are linked from the repo's node_modules instead of downloaded — exactly its production closure
 * (`npm ls --omit=dev`), so a runtime import of a devDependency still fails — plus `typescript` and `@types/node`,
 * which `pulumi new typescript` installs. Needs a built dist/.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

/** The repository root. */
export const repoRoot = resolve(__dirname, "..", "..");

interface InstallPacked {
  packTarball(destination: string): string;
  installPacked(dir: string, tarball?: string): string;
}

async function scripts(): Promise<InstallPacked> {
  return (await import(join(repoRoot, "scripts", "install-packed.mjs"))) as InstallPacked;
}

/** A fresh project directory in the system temp directory (outside the repo: see the file comment). */
export function projectDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `ie-${prefix}-`));
}

/** The repo's top-level node_modules entries the package needs at run time (its production dependency closure). */
function productionDependencies(): string[] {
  const out = execFileSync("npm", ["ls", "--omit=dev", "--all", "--parseable"], { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const top = join(repoRoot, "node_modules") + "/";
  const names = new Set<string>();
  for (const line of out.split("\n")) {
    if (!line.startsWith(top)) continue;
    const name = line.slice(top.length);
    // Nested copies (a/node_modules/b) come along inside their parent's directory.
    if (!name.includes("/node_modules/") && name !== "pulumi-importexport") names.add(name);
  }
  return [...names].sort();
}

/** Links the package's dependencies (plus typescript and @types/node) into `project`/node_modules. */
export function linkDependencies(project: string): void {
  for (const name of [...productionDependencies(), "typescript", "@types/node"]) {
    const link = join(project, "node_modules", name);
    if (existsSync(link)) continue;
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(repoRoot, "node_modules", name), link, "dir");
  }
  // What npm would link into node_modules/.bin for the project's own use.
  mkdirSync(join(project, "node_modules", ".bin"), { recursive: true });
}

/** Packs the repo once into `dir`; returns the tarball's path. */
export async function packRepo(dir: string): Promise<string> {
  if (!existsSync(join(repoRoot, "dist", "provider", "index.js"))) throw new Error("dist/ is missing: run `npm run build` first");
  return (await scripts()).packTarball(dir);
}

/**
 * Installs `tarball` into `project` as npm would: the package as a real directory in node_modules, its dependencies
 * (linked, see the file comment) and its `bin` entries in node_modules/.bin. Returns the package directory.
 */
export async function installTarball(project: string, tarball: string): Promise<string> {
  const dir = (await scripts()).installPacked(project, tarball);
  linkDependencies(project);
  const bins = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { bin?: Record<string, string> }).bin ?? {};
  for (const [name, file] of Object.entries(bins)) {
    symlinkSync(join("..", "pulumi-importexport", file), join(project, "node_modules", ".bin", name));
    chmodSync(join(dir, file), 0o755);
  }
  return dir;
}

/** The files of a tarball, relative to its `package/` root. */
export function tarballFiles(tarball: string): string[] {
  return execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" })
    .split("\n")
    .filter((l) => l.startsWith("package/") && !l.endsWith("/"))
    .map((l) => l.slice("package/".length));
}
