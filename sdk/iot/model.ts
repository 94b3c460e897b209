/**
 * The slice of the AWS IoT control-plane model (botocore `iot/2015-05-28/service-2.json`) this package uses: HTTP
 * bindings, input members with their locations, and their constraints. The one description of the IoT Jobs API
 * (design principle 1): the emulator's wire edge serves and validates by it, and `IotJob`'s check validates by it
 * (both through ./validate), so the two cannot disagree about what the service accepts.
 *
 * Facts carried over from the model, written here in our own shape language, so nothing reads Python's botocore
 * at run time. `test/sdk/iot-model.test.ts` compares every entry with the installed botocore model, so a typo here
 * fails a test instead of silently drifting from the service. Rules the service documents but the shapes do not
 * state are in ./validate (`jobRules`), each naming its source.
 */

/**
 * A shape of the IoT (rest-json) model, reduced to what validation needs. Named apart from the Import/Export
 * model's `Shape` (sdk/model: query/XML members with `kind`), a different dialect for a different protocol.
 */
export type IotShape =
  | { type: "string"; min?: number; max?: number; pattern?: string; enum?: readonly string[] }
  | { type: "integer" | "long" | "double"; min?: number; max?: number }
  | { type: "boolean" }
  | { type: "list"; member: IotShape; min?: number; max?: number }
  | { type: "map"; key: IotShape; value: IotShape }
  | { type: "structure"; members: Readonly<Record<string, IotShape>>; required?: readonly string[] };

/** One input member of an operation: where it travels and whether it must be present. */
export interface InputMember {
  shape: IotShape;
  /** `uri` (path label), `querystring`, or the JSON body (default). */
  location?: "uri" | "querystring";
  required?: boolean;
}

/** One operation's HTTP binding and input. */
export interface IotOperation {
  method: "GET" | "PUT" | "POST" | "PATCH" | "DELETE";
  /** The model's requestUri, e.g. `/jobs/{jobId}`. */
  path: string;
  input: Readonly<Record<string, InputMember>>;
}

const str = (min?: number, max?: number, pattern?: string): IotShape => ({
  type: "string",
  ...(min !== undefined ? { min } : {}),
  ...(max !== undefined ? { max } : {}),
  ...(pattern !== undefined ? { pattern } : {}),
});
const enumOf = (...values: string[]): IotShape => ({ type: "string", enum: values });
const num = (type: "integer" | "long" | "double", min?: number, max?: number): IotShape => ({
  type,
  ...(min !== undefined ? { min } : {}),
  ...(max !== undefined ? { max } : {}),
});
const list = (member: IotShape, min?: number, max?: number): IotShape => ({
  type: "list",
  member,
  ...(min !== undefined ? { min } : {}),
  ...(max !== undefined ? { max } : {}),
});
const struct = (members: Record<string, IotShape>, required?: string[]): IotShape => ({ type: "structure", members, ...(required ? { required } : {}) });
const bool: IotShape = { type: "boolean" };

/** `JobId`: 1–64 of `[a-zA-Z0-9_-]`. */
export const JOB_ID = str(1, 64, "[a-zA-Z0-9_-]+");
const DESCRIPTION = str(undefined, 2028, "[^\\p{C}]+");
const NAMESPACE_ID = str(undefined, undefined, "[a-zA-Z0-9_-]+");
/** `ThingName` / `ThingGroupName`: 1–128 of `[a-zA-Z0-9:_-]`. */
export const THING_NAME = str(1, 128, "[a-zA-Z0-9:_-]+");
const THING_GROUP_ID = str(1, 128, "[a-zA-Z0-9\\-]+");
const ARN_1600 = str(1, 1600, "^arn:[!-~]+$");
/** `TagKey`: 1–128 of letters, separators, digits and `_.:/=+-@`. */
export const TAG_KEY = str(1, 128, "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$");
/** `TagValue`: 0–256 characters. */
export const TAG_VALUE = str(0, 256);
const TAG_LIST = list(struct({ Key: TAG_KEY, Value: TAG_VALUE }, ["Key"]));
/** The model's `JobStatus`: every state an IoT job can be in (the model's order). */
export const IOT_JOB_STATUSES = ["IN_PROGRESS", "CANCELED", "COMPLETED", "DELETION_IN_PROGRESS", "SCHEDULED"] as const;
/** One IoT job state code (the model's `JobStatus`): what DescribeJob reports as `job.status`. */
export type IotJobStatusCode = (typeof IOT_JOB_STATUSES)[number];
/** The model's `JobExecutionStatus`: every state one thing's execution of a job can be in. */
export const IOT_JOB_EXECUTION_STATUSES = ["QUEUED", "IN_PROGRESS", "SUCCEEDED", "FAILED", "TIMED_OUT", "REJECTED", "REMOVED", "CANCELED"] as const;
/** One execution state code (the model's `JobExecutionStatus`). */
export type IotJobExecutionStatusCode = (typeof IOT_JOB_EXECUTION_STATUSES)[number];
const JOB_STATUS = enumOf(...IOT_JOB_STATUSES);
const TARGET_SELECTION = enumOf("CONTINUOUS", "SNAPSHOT");
const MAX_RESULTS = num("integer", 1, 250);
const NEXT_TOKEN = str();
const ATTRIBUTE_PAYLOAD = struct({
  attributes: { type: "map", key: str(undefined, 128, "[a-zA-Z0-9_.,@/:#-]+"), value: str(undefined, 800, "[a-zA-Z0-9_.,@/:#=\\[\\]-]*") },
  merge: bool,
});

const PRESIGNED_URL_CONFIG = struct({ roleArn: str(20, 2048), expiresInSec: num("long", 60, 3600) });
const ROLLOUT_CONFIG = struct({
  maximumPerMinute: num("integer", 1),
  exponentialRate: struct(
    {
      baseRatePerMinute: num("integer", 1, 1000),
      incrementFactor: num("double", 1.1, 5),
      rateIncreaseCriteria: struct({ numberOfNotifiedThings: num("integer", 1), numberOfSucceededThings: num("integer", 1) }),
    },
    ["baseRatePerMinute", "incrementFactor", "rateIncreaseCriteria"],
  ),
});
const ABORT_CONFIG = struct(
  {
    criteriaList: list(
      struct(
        {
          failureType: enumOf("FAILED", "REJECTED", "TIMED_OUT", "ALL"),
          action: enumOf("CANCEL"),
          thresholdPercentage: num("double", undefined, 100),
          minNumberOfExecutedThings: num("integer", 1),
        },
        ["failureType", "action", "thresholdPercentage", "minNumberOfExecutedThings"],
      ),
      1,
    ),
  },
  ["criteriaList"],
);
const TIMEOUT_CONFIG = struct({ inProgressTimeoutInMinutes: num("long") });
const RETRY_CONFIG = struct(
  { criteriaList: list(struct({ failureType: enumOf("FAILED", "TIMED_OUT", "ALL"), numberOfRetries: num("integer", 0, 10) }, ["failureType", "numberOfRetries"]), 1, 2) },
  ["criteriaList"],
);
const SCHEDULING_CONFIG = struct({
  startTime: str(1, 64),
  endTime: str(1, 64),
  endBehavior: enumOf("STOP_ROLLOUT", "CANCEL", "FORCE_CANCEL"),
  maintenanceWindows: list(struct({ startTime: str(1, 256), durationInMinutes: num("integer", 1, 1430) }, ["startTime", "durationInMinutes"])),
});

const uri = (shape: IotShape): InputMember => ({ shape, location: "uri", required: true });
const query = (shape: IotShape, required = false): InputMember => ({ shape, location: "querystring", ...(required ? { required } : {}) });
const body = (shape: IotShape, required = false): InputMember => ({ shape, ...(required ? { required } : {}) });

/** The operations the emulator serves and the provider validates, by the model's operation name. */
export const IOT_OPERATIONS = {
  CreateJob: {
    method: "PUT",
    path: "/jobs/{jobId}",
    input: {
      jobId: uri(JOB_ID),
      targets: body(list(str(undefined, 2048), 1), true),
      documentSource: body(str(1, 1350)),
      document: body(str(undefined, 32768)),
      description: body(DESCRIPTION),
      presignedUrlConfig: body(PRESIGNED_URL_CONFIG),
      targetSelection: body(TARGET_SELECTION),
      jobExecutionsRolloutConfig: body(ROLLOUT_CONFIG),
      abortConfig: body(ABORT_CONFIG),
      timeoutConfig: body(TIMEOUT_CONFIG),
      tags: body(TAG_LIST),
      namespaceId: body(NAMESPACE_ID),
      jobTemplateArn: body(ARN_1600),
      jobExecutionsRetryConfig: body(RETRY_CONFIG),
      documentParameters: body({ type: "map", key: str(1, 128, "[a-zA-Z0-9_-]+"), value: str(1, 30720, "[^\\p{C}]+") }),
      schedulingConfig: body(SCHEDULING_CONFIG),
      destinationPackageVersions: body(list(ARN_1600)),
    },
  },
  UpdateJob: {
    method: "PATCH",
    path: "/jobs/{jobId}",
    input: {
      jobId: uri(JOB_ID),
      description: body(DESCRIPTION),
      presignedUrlConfig: body(PRESIGNED_URL_CONFIG),
      jobExecutionsRolloutConfig: body(ROLLOUT_CONFIG),
      abortConfig: body(ABORT_CONFIG),
      timeoutConfig: body(TIMEOUT_CONFIG),
      namespaceId: query(NAMESPACE_ID),
      jobExecutionsRetryConfig: body(RETRY_CONFIG),
    },
  },
  DescribeJob: { method: "GET", path: "/jobs/{jobId}", input: { jobId: uri(JOB_ID), beforeSubstitution: query(bool) } },
  CancelJob: {
    method: "PUT",
    path: "/jobs/{jobId}/cancel",
    input: { jobId: uri(JOB_ID), reasonCode: body(str(undefined, 128, "[\\p{Upper}\\p{Digit}_]+")), comment: body(DESCRIPTION), force: query(bool) },
  },
  DeleteJob: { method: "DELETE", path: "/jobs/{jobId}", input: { jobId: uri(JOB_ID), force: query(bool), namespaceId: query(NAMESPACE_ID) } },
  GetJobDocument: { method: "GET", path: "/jobs/{jobId}/job-document", input: { jobId: uri(JOB_ID), beforeSubstitution: query(bool) } },
  ListJobs: {
    method: "GET",
    path: "/jobs",
    input: {
      status: query(JOB_STATUS),
      targetSelection: query(TARGET_SELECTION),
      maxResults: query(MAX_RESULTS),
      nextToken: query(NEXT_TOKEN),
      thingGroupName: query(THING_NAME),
      thingGroupId: query(THING_GROUP_ID),
      namespaceId: query(NAMESPACE_ID),
    },
  },
  AssociateTargetsWithJob: {
    method: "POST",
    path: "/jobs/{jobId}/targets",
    input: { targets: body(list(str(undefined, 2048), 1), true), jobId: uri(JOB_ID), comment: body(DESCRIPTION), namespaceId: query(NAMESPACE_ID) },
  },
  ListJobExecutionsForJob: {
    method: "GET",
    path: "/jobs/{jobId}/things",
    input: {
      jobId: uri(JOB_ID),
      status: query(enumOf(...IOT_JOB_EXECUTION_STATUSES)),
      maxResults: query(MAX_RESULTS),
      nextToken: query(NEXT_TOKEN),
    },
  },
  TagResource: { method: "POST", path: "/tags", input: { resourceArn: body(str(), true), tags: body(TAG_LIST, true) } },
  UntagResource: { method: "POST", path: "/untag", input: { resourceArn: body(str(), true), tagKeys: body(list(TAG_KEY), true) } },
  ListTagsForResource: { method: "GET", path: "/tags", input: { resourceArn: query(str(), true), nextToken: query(NEXT_TOKEN) } },
  CreateThing: {
    method: "POST",
    path: "/things/{thingName}",
    input: { thingName: uri(THING_NAME), thingTypeName: body(THING_NAME), attributePayload: body(ATTRIBUTE_PAYLOAD), billingGroupName: body(THING_NAME) },
  },
  DescribeThing: { method: "GET", path: "/things/{thingName}", input: { thingName: uri(THING_NAME) } },
  CreateThingGroup: {
    method: "POST",
    path: "/thing-groups/{thingGroupName}",
    input: {
      thingGroupName: uri(THING_NAME),
      parentGroupName: body(THING_NAME),
      thingGroupProperties: body(struct({ thingGroupDescription: str(undefined, 2028, "[\\p{Graph}\\x20]*"), attributePayload: ATTRIBUTE_PAYLOAD })),
      tags: body(TAG_LIST),
    },
  },
  DescribeThingGroup: { method: "GET", path: "/thing-groups/{thingGroupName}", input: { thingGroupName: uri(THING_NAME) } },
  AddThingToThingGroup: {
    method: "PUT",
    path: "/thing-groups/addThingToThingGroup",
    input: { thingGroupName: body(THING_NAME), thingGroupArn: body(str()), thingName: body(THING_NAME), thingArn: body(str()), overrideDynamicGroups: body(bool) },
  },
} as const satisfies Record<string, IotOperation>;

/** A member UpdateJob changes: its body members (`jobId` and `namespaceId` only address the job). */
export type UpdateJobMember = Exclude<keyof typeof IOT_OPERATIONS.UpdateJob.input, "jobId" | "namespaceId">;

/** The members UpdateJob changes, read from its input above (each replaces the whole structure; absent = unchanged). */
export const UPDATE_JOB_MEMBERS: readonly UpdateJobMember[] = Object.entries(IOT_OPERATIONS.UpdateJob.input)
  .filter(([, member]) => !("location" in member))
  .map(([name]) => name as UpdateJobMember);

/** Names of the IoT operations in {@link IOT_OPERATIONS}. */
export type IotOperationName = keyof typeof IOT_OPERATIONS;

/** Modelled IoT error codes and their HTTP status (the model's `error.httpStatusCode`). */
export const IOT_ERRORS = {
  InvalidRequestException: 400,
  ResourceNotFoundException: 404,
  ResourceAlreadyExistsException: 409,
  InvalidStateTransitionException: 409,
  LimitExceededException: 410,
  ThrottlingException: 400,
  ServiceUnavailableException: 503,
  InternalFailureException: 500,
  UnauthorizedException: 401,
} as const;

/** A modelled IoT error code. */
export type IotErrorCode = keyof typeof IOT_ERRORS;
