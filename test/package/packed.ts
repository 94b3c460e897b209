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
import { pulumiBinDir } from "../engine/harness";

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

/** A fresh user project from one `npm pack` install, and the environment a new user's shell would give commands there. */
export interface PackedProject {
  /** The scratch directory holding the project, its PULUMI_HOME and its file:// backend (remove it when done). */
  readonly work: string;
  /** The project directory, with the package installed in its node_modules (empty with `install: false`). */
  readonly project: string;
  /** The `npm pack` tarball the project was (or is to be) installed from. */
  readonly tarball: string;
  /**
   * The environment: the pulumi CLI and its language hosts plus this process's PATH (node, npx), an own HOME and
   * PULUMI_HOME, a file:// backend with a passphrase, no update checks or plugin downloads, and nothing from the
   * machine's AWS setup (no instance metadata lookups).
   */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Packs the repo, installs it into a fresh project `<prefix>`/`name` and returns it with its environment (needs a built
 * dist/). With `install: false` the project directory stays empty, for a test that runs `npm install <tarball>` itself.
 */
export async function packedProject(prefix: string, name: string, options: { readonly install?: boolean } = {}): Promise<PackedProject> {
  const work = projectDir(prefix);
  const project = join(work, name);
  mkdirSync(project);
  const packDir = join(work, "pack");
  mkdirSync(packDir);
  const tarball = await packRepo(packDir);
  if (options.install !== false) await installTarball(project, tarball);
  const home = join(work, "home");
  mkdirSync(join(home, ".pulumi"), { recursive: true });
  mkdirSync(join(work, "backend"));
  const env: NodeJS.ProcessEnv = {
    PATH: `${pulumiBinDir()}:${process.env["PATH"] ?? "/usr/bin:/bin"}`,
    HOME: home,
    PULUMI_HOME: join(home, ".pulumi"),
    PULUMI_BACKEND_URL: `file://${join(work, "backend")}`,
    PULUMI_CONFIG_PASSPHRASE: `${prefix}-test-passphrase`,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: join(home, "aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, "aws-credentials"),
    npm_config_update_notifier: "false",
    npm_config_cache: process.env["npm_config_cache"] ?? join(process.env["HOME"] ?? home, ".npm"),
  };
  return { work, project, tarball, env };
}
