/**
 * `importexport validate <manifest> [--job-type Import|Export] [--server]`: the manifest checks the service makes,
 * without creating anything. Locally with the SDK's validator (the one the emulator and the provider use), and
 * with `--server` also by the service itself (CreateJob with ValidateOnly=true), which alone knows whether the
 * buckets exist and belong to the caller.
 */
import type { Command } from "commander";
import type { ManifestSyntaxError, Manifest } from "../../sdk/manifest";
import type { JobType } from "../../sdk/types";
import { loadOwnModule } from "../../sdk/own-module";
import { createClient } from "../client";
import { commonOptions, type CliContext } from "../context";
import { CliInputError, ExitCode } from "../errors";
import { parseJobType, readManifestFile } from "../input";

/**
 * The job type a manifest is written for when `--job-type` is not given: Export when an entry of `operations`
 * names an `exportBucket` (only export manifests have one), Import otherwise.
 */
export function inferJobType(m: Manifest): JobType {
  const ops = (m as { operations?: unknown }).operations;
  const isExport = Array.isArray(ops) && ops.some((op) => op !== null && typeof op === "object" && "exportBucket" in op);
  return isExport ? "Export" : "Import";
}

/** The syntax error's message without the `(line N, column M)` tail: the position leads the line instead. */
function syntaxMessage(err: ManifestSyntaxError): string {
  return err.message.replace(/\s*\(line \d+, column \d+\)$/, "");
}

/** Adds `validate` to `program`. */
export function addValidateCommand(program: Command, ctx: CliContext): void {
  program
    .command("validate")
    .description(
      "Check a manifest: every problem as `path: message (Code)`, YAML syntax errors with line:column. " +
        "Exit 0 valid, 2 invalid, 1 refused by the service (--server).",
    )
    .argument("<manifest>", "the manifest file (YAML)")
    .option("--job-type <type>", "Import or Export (default: Export if an operation names an exportBucket, else Import)")
    .option("--server", "after the local checks, ask the service too (CreateJob with ValidateOnly=true)")
    .action(async (file: string, o: { jobType?: string; server?: boolean }, cmd: Command) => {
      const explicitType = o.jobType !== undefined ? parseJobType(o.jobType) : undefined;
      const source = readManifestFile(file, "manifest file");
      // Loaded here, not at start-up: the YAML parser and the validator are this verb's alone.
      const { ManifestSyntaxError, parseManifest, validateManifest } = await loadOwnModule({
        require: () => require("../../sdk/manifest/index.js"),
        import: () => import("../../sdk/manifest/index.js"),
      });
      let manifest: Manifest;
      try {
        manifest = parseManifest(source.text);
      } catch (err) {
        if (err instanceof ManifestSyntaxError) throw new CliInputError(err.code, `${file}:${err.line}:${err.column}: ${syntaxMessage(err)}`);
        throw err;
      }
      const jobType = explicitType ?? inferJobType(manifest);
      const problems = validateManifest(manifest, jobType);
      if (problems.length > 0) {
        for (const p of problems) ctx.io.stdout(`${p.path || "(manifest)"}: ${p.message} (${p.code})\n`);
        const first = problems[0]?.code ?? "InvalidManifestFieldException";
        const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
        ctx.io.stderr(`importexport: ${first}: ${file} is not a valid ${jobType} manifest (${count}, listed above)\n`);
        ctx.exitCode = ExitCode.InputError;
        return;
      }
      if (!o.server) {
        ctx.io.stdout(`${file}: valid ${jobType} manifest (local checks; add --server to ask the service as well)\n`);
        return;
      }
      const client = createClient(commonOptions(cmd), ctx.io.env);
      try {
        const out = await client.createJob({ JobType: jobType, Manifest: source.text, ValidateOnly: true });
        const warning = out.WarningMessage ? `: ${out.WarningMessage}` : "";
        ctx.io.stdout(`${file}: valid ${jobType} manifest; the service at ${client.endpoint.url.origin} accepted it (ValidateOnly)${warning}\n`);
      } finally {
        await client.destroy();
      }
    });
}
