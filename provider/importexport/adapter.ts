/**
 * ImportExportJob's service adapter for the mechanism (../core/mechanism): GetStatus as the status read, and each
 * call the table (./definition) names as one SDK call — UpdateJob, GetShippingLabel, CancelJob — with its members
 * read from the definition for the inputs the plan names. The mechanism decides when each runs.
 */
import { fieldsSentBy } from "../core/policy";
import { requestMembers } from "../core/definition";
import { resourceMechanism, type CallRequest, type CallResult } from "../core/mechanism";
import { client, ImportExportJobError, isServiceError, service, signingAccessKeyId } from "./client";
import { importExportJobDefinition as definition, importExportJobPolicy as policy, type CheckedInputs, type ImportExportCall } from "./definition";
import { manifestForCall, type ManifestForCall } from "./inputs";
import { compact } from "./outputs";

/**
 * Sends a call whose manifest carries the signing accessKeyId (filled in when the user's manifest has none).
 * Temporary credentials can be refreshed between filling it in and signing; the service then refuses the call with
 * InvalidAccessKeyIdException and nothing happened, so when the signing key has changed meanwhile the manifest is
 * filled with the current key and sent once more. Returns the answer and the manifest that was accepted (as sent,
 * and as shown in outputs: one parse of the canonical text per attempt).
 */
export async function withSigningKey<T>(canonical: string, send: (manifest: string) => Promise<T>): Promise<{ result: T; manifest: ManifestForCall }> {
  const manifest = manifestForCall(canonical, await signingAccessKeyId());
  try {
    return { result: await send(manifest.sent), manifest };
  } catch (e) {
    if (!isServiceError(e, "InvalidAccessKeyIdException")) throw e;
    const again = manifestForCall(canonical, await signingAccessKeyId());
    if (again.sent === manifest.sent) throw e;
    return { result: await send(again.sent), manifest: again };
  }
}

/** GetShippingLabel for the job with the inputs' sender address: the label's URL and the service's warning. */
export async function shippingLabelUrl(jobId: string, inputs: CheckedInputs): Promise<{ url?: string; warning?: string }> {
  if (!inputs.shippingLabel) return {};
  const r = await (await client()).getShippingLabel({ jobIds: [jobId], ...inputs.shippingLabel });
  return compact({ url: r.ShippingLabelURL, warning: r.Warning });
}

/**
 * The members CreateJob and UpdateJob take from the inputs (JobType, Manifest: the inputs whose table rule names
 * UpdateJob, under their service names). UpdateJob replaces both together, so every one of them travels, not only
 * the changed ones.
 */
export function jobMembers(inputs: CheckedInputs): { JobType: "Import" | "Export"; Manifest: string } {
  return requestMembers(definition.inputs, fieldsSentBy(policy, "UpdateJob"), inputs) as { JobType: "Import" | "Export"; Manifest: string };
}

/** The calls the Import/Export table names, each as one SDK call (the mechanism decides when). */
async function perform(call: ImportExportCall, req: CallRequest<ImportExportCall>): Promise<CallResult> {
  const c = await client();
  // The engine hands update the inputs check returned, so they are checked inputs.
  const inputs = req.inputs as CheckedInputs;
  switch (call) {
    case "UpdateJob": {
      const members = jobMembers(inputs);
      const { result: r, manifest } = await withSigningKey(members.Manifest, (m) => c.updateJob({ JobId: req.id, ...members, Manifest: m, ValidateOnly: false }));
      return compact({ warning: r.WarningMessage, outputs: { manifestYaml: manifest.shown } });
    }
    case "GetShippingLabel": {
      // A removed label needs no call: the label URL output goes with it.
      const label = await shippingLabelUrl(req.id, inputs);
      return compact({ warning: label.warning, outputs: label.url !== undefined ? { shippingLabelUrl: label.url } : undefined });
    }
    case "CancelJob":
      await c.cancelJob({ JobId: req.id });
      return {};
  }
}

/** diff / update / delete, driven by the Import/Export table. */
export const mechanism = resourceMechanism(policy, {
  statusCall: "GetStatus",
  outputGroups: { groups: Object.keys(definition.groups), writtenBy: "jobId" },
  describe: async (id: string) => {
    const status = await (await client()).getStatus({ JobId: id });
    return { state: status.ProgressCode, status };
  },
  perform,
  errorCode: (e: unknown) => (isServiceError(e) ? e.name : undefined),
  errorMessage: (e: unknown) => (e instanceof Error ? e.message : String(e)),
  describeError: service.describeError,
  warn: service.warn,
  error: (message: string) => new ImportExportJobError(message),
});
