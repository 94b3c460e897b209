/**
 * IotJob's service adapter for the mechanism (../core/mechanism): DescribeJob as the status read, and each call the
 * table (./definition) names as one SDK command — UpdateJob, TagResource, UntagResource, CancelJob, DeleteJob —
 * with the members the plan names. Retries (throttling, the LimitExceededException quota, lost connections) are the
 * client's retry strategy (./client), never a loop here.
 */
import { requestMembers } from "../core/definition";
import { priorGroup } from "../core/grouped-outputs";
import { resourceMechanism, type CallRequest, type CallResult } from "../core/mechanism";
import { iot, iotErrorCode, IotJobError, service } from "./client";
import { EXECUTIONS_IN_PROGRESS, iotJobDefinition as definition, iotJobPolicy as policy, type IotCall, type IotCheckedInputs } from "./definition";
import type { Job } from "./outputs";

/** DescribeJob: the job (an answer without one is an error). */
export async function describe(jobId: string): Promise<Job> {
  const { sdk, client } = await iot();
  const r = await client.send(new sdk.DescribeJobCommand({ jobId }));
  if (!r.job) throw new IotJobError(`DescribeJob for IoT job ${jobId} answered without a job.`);
  return r.job;
}

async function jobArnOf(jobId: string): Promise<string> {
  const arn = (await describe(jobId)).jobArn;
  if (!arn) throw new IotJobError(`DescribeJob for IoT job ${jobId} answered without a jobArn.`);
  return arn;
}

/**
 * The calls the IoT table names, each as one SDK command (the mechanism decides when). UpdateJob carries the inputs
 * the plan names (each member replaces the whole structure; a member not sent stays as it is).
 */
async function perform(call: IotCall, req: CallRequest<IotCall>): Promise<CallResult> {
  const { sdk, client } = await iot();
  // The engine hands update and delete the inputs check returned, so they are checked inputs.
  const inputs = req.inputs as IotCheckedInputs;
  const namespace = inputs.namespaceId !== undefined ? { namespaceId: inputs.namespaceId } : {};
  switch (call) {
    case "UpdateJob":
      await client.send(new sdk.UpdateJobCommand({ jobId: req.id, ...namespace, ...requestMembers(definition.inputs, req.step?.fields ?? [], inputs) }));
      return {};
    case "TagResource":
    case "UntagResource": {
      const recorded = priorGroup(req.state, "job")["jobArn"];
      const arn = typeof recorded === "string" ? recorded : await jobArnOf(req.id);
      if (call === "TagResource") {
        const tags = Object.entries(req.step?.map?.set ?? {}).map(([Key, Value]) => ({ Key, Value: String(Value) }));
        await client.send(new sdk.TagResourceCommand({ resourceArn: arn, tags }));
      } else {
        await client.send(new sdk.UntagResourceCommand({ resourceArn: arn, tagKeys: [...(req.step?.map?.unset ?? [])] }));
      }
      return {};
    }
    case "CancelJob":
      await client.send(new sdk.CancelJobCommand({ jobId: req.id, force: inputs.forceCancel === true, comment: "Canceled by pulumi (IotJob delete)." }));
      return {};
    case "DeleteJob":
      await client.send(new sdk.DeleteJobCommand({ jobId: req.id, force: inputs.forceDelete === true, ...namespace }));
      return {};
  }
}

/** diff / update / delete, driven by the IoT table. */
export const mechanism = resourceMechanism(policy, {
  statusCall: "DescribeJob",
  // A flat state (before `job`) had jobArn at the top level; every state since has it under `job`.
  outputGroups: { groups: Object.keys(definition.groups), writtenBy: "jobArn" },
  describe: async (id: string) => {
    const job = await describe(id);
    const running = job.jobProcessDetails?.numberOfInProgressThings ?? 0;
    return { state: job.status, status: job, conditions: running > 0 ? [EXECUTIONS_IN_PROGRESS] : [] };
  },
  perform,
  errorCode: iotErrorCode,
  errorMessage: (e: unknown) => (e instanceof Error ? e.message : String(e)),
  describeError: service.describeError,
  warn: service.warn,
  error: (message: string) => new IotJobError(message),
});
