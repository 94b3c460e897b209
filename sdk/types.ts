/**
 * Inputs and outputs of the six operations, with the API's member names. They are derived from sdk/model.ts's
 * operation table with mapped types, so they cannot disagree with what the serializer sends and the parser reads
 * (design.md, principle 1): a member added to the model appears here, with the model's type and optionality.
 * Every output also carries `$metadata`.
 */
import type { ResponseMetadata } from "./errors";
import type { OperationName, OperationTable, jobTypes } from "./model";

/** The TypeScript value of a scalar wire type. */
interface ScalarValues {
  string: string;
  boolean: boolean;
  integer: number;
  timestamp: Date;
}

/**
 * The TypeScript value of a model shape: a scalar's value (an enum's literal union), a list's array, or a
 * structure's {@link MembersValue}.
 */
export type ShapeValue<S> = S extends { readonly kind: "list"; readonly member: infer M }
  ? ShapeValue<M>[]
  : S extends { readonly kind: "structure"; readonly members: infer Ms }
    ? MembersValue<Ms>
    : S extends { readonly kind: "scalar"; readonly enum: readonly (infer E)[] }
      ? E
      : S extends { readonly kind: "scalar"; readonly type: infer T extends keyof ScalarValues }
        ? ScalarValues[T]
        : never;

type RequiredNames<Ms> = { [K in keyof Ms]: Ms[K] extends { readonly required: true } ? K : never }[keyof Ms];

/**
 * An object with one property per member of a model structure: required members (`required: true`) as required
 * properties, every other member optional.
 */
export type MembersValue<Ms> = {
  -readonly [K in keyof Ms as K extends RequiredNames<Ms> ? K : never]: Ms[K] extends { readonly shape: infer S } ? ShapeValue<S> : never;
} & {
  -readonly [K in keyof Ms as K extends RequiredNames<Ms> ? never : K]?: Ms[K] extends { readonly shape: infer S } ? ShapeValue<S> : never;
};

/** The input of operation `Op`, derived from its members in sdk/model.ts. */
export type ModelInput<Op extends OperationName> = MembersValue<OperationTable[Op]["input"]>;
/** The output of operation `Op` (the members inside `<{Op}Result>`), derived from sdk/model.ts. */
export type ModelOutput<Op extends OperationName> = MembersValue<OperationTable[Op]["output"]>;

type ListItem<L> = NonNullable<L> extends readonly (infer T)[] ? T : never;

/** `JobType`: the service also accepted lower case (the AWS CLI sends `import`). */
export type JobType = (typeof jobTypes)[number];

/** A document the service produced for a job (such as a PDF). */
export interface Artifact extends ListItem<ModelOutput<"CreateJob">["ArtifactList"]> {}

/** One entry of ListJobs' `Jobs`. */
export interface Job extends ListItem<ModelOutput<"ListJobs">["Jobs"]> {}

/** Adds `$metadata` to an operation's output. */
export type WithMetadata<T> = T & { $metadata: ResponseMetadata };

/** CreateJob input. `ValidateOnly: true` validates the manifest and creates nothing. */
export interface CreateJobInput extends ModelInput<"CreateJob"> {}
/** CreateJob output. */
export interface CreateJobOutput extends ModelOutput<"CreateJob"> {}

/** UpdateJob input: the manifest replaces the job's manifest entirely. */
export interface UpdateJobInput extends ModelInput<"UpdateJob"> {}
/** UpdateJob output. */
export interface UpdateJobOutput extends ModelOutput<"UpdateJob"> {}

/** CancelJob input. */
export interface CancelJobInput extends ModelInput<"CancelJob"> {}
/** CancelJob output. */
export interface CancelJobOutput extends ModelOutput<"CancelJob"> {}

/** GetStatus input. */
export interface GetStatusInput extends ModelInput<"GetStatus"> {}
/** GetStatus output: `ProgressCode` and `LocationCode` are the model's code unions. */
export interface GetStatusOutput extends ModelOutput<"GetStatus"> {}

/** ListJobs input: newest first; `Marker` is the JobId to start after. */
export interface ListJobsInput extends ModelInput<"ListJobs"> {}
/** ListJobs output. `Jobs` is always a list (empty when the response has none). */
export interface ListJobsOutput extends ModelOutput<"ListJobs"> {
  Jobs: Job[];
}

/** GetShippingLabel input: lower-camel member names, as on the wire. */
export interface GetShippingLabelInput extends ModelInput<"GetShippingLabel"> {}
/** GetShippingLabel output. */
export interface GetShippingLabelOutput extends ModelOutput<"GetShippingLabel"> {}

/** Input type per operation name. */
export interface OperationInputs {
  CreateJob: CreateJobInput;
  UpdateJob: UpdateJobInput;
  CancelJob: CancelJobInput;
  GetStatus: GetStatusInput;
  ListJobs: ListJobsInput;
  GetShippingLabel: GetShippingLabelInput;
}
/** Output type per operation name. */
export interface OperationOutputs {
  CreateJob: CreateJobOutput;
  UpdateJob: UpdateJobOutput;
  CancelJob: CancelJobOutput;
  GetStatus: GetStatusOutput;
  ListJobs: ListJobsOutput;
  GetShippingLabel: GetShippingLabelOutput;
}
