/**
 * Whether a resource's `check` runs in an update (`pulumi up`) or in a preview. The engine tells a provider neither:
 * CheckRequest has no such field, and only policy packs get PULUMI_DRY_RUN in their environment. The program knows
 * (`pulumi.runtime.isDryRun()`), so a resource class whose check calls the service adds {@link IN_UPDATE} to the
 * inputs it registers in an update, and check reads it and drops it (a reserved key, ./policy: never an input, never
 * compared, never in the state). Absent means "maybe a preview": a program that does not say (a Pulumi YAML program,
 * an older class) gets the preview's behaviour, which is also the safe one.
 */
/** The input key that marks a registration made during an update. */
export const IN_UPDATE = "__inUpdate";

/**
 * What a resource class adds to its inputs, given `pulumi.runtime.isDryRun()`: the marker during an update, nothing
 * during a preview. (The flag is passed in so that this module, which check reads too, does not load the Pulumi runtime.)
 */
export function updateRunInputs(dryRun: boolean): Record<string, true> {
  return dryRun ? {} : { [IN_UPDATE]: true };
}

/** Whether the inputs check got were registered during an update. */
export function registeredInUpdate(news: Readonly<Record<string, unknown>> | undefined): boolean {
  return news?.[IN_UPDATE] === true;
}
