/** The `status` output of an ImportExportJob state (create/update/read `outs`); fails the test when it is missing. */
export function status(state: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const s = state?.["status"];
  if (typeof s !== "object" || s === null) throw new Error(`state has no status object: ${JSON.stringify(Object.keys(state ?? {}))}`);
  return s as Record<string, unknown>;
}
