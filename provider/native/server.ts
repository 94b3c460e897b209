/**
 * The plugin's gRPC service: `pulumirpc.ResourceProvider` over the protos @pulumi/pulumi ships, served with
 * @grpc/grpc-js. It turns requests into calls on a {@link NativePackage} and answers in the engine's terms: a
 * detailed diff (each changed property as an update or a replacement), secrets marked, unknowns kept, errors as gRPC
 * statuses whose message is the whole story (never a stack trace).
 *
 * The SDK's own `provider.main` server is not used because it cannot do this (pulumi-notes, issue 23): its diff has
 * no detailed diff and its Configure ignores the provider's inputs.
 */
import * as grpc from "@grpc/grpc-js";
import { Any } from "google-protobuf/google/protobuf/any_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { PluginInfo, type PluginAttach } from "@pulumi/pulumi/proto/plugin_pb";
import { ResourceProviderService } from "@pulumi/pulumi/proto/provider_grpc_pb";
import {
  CheckFailure, CheckResponse, ConfigureResponse, CreateResponse, DiffResponse, ErrorResourceInitFailed, GetSchemaResponse,
  PropertyDiff, ProviderHandshakeResponse, ReadResponse, UpdateResponse,
  type CheckRequest, type ConfigureRequest, type CreateRequest, type DeleteRequest, type DiffRequest, type GetSchemaRequest,
  type ProviderHandshakeRequest, type ReadRequest, type UpdateRequest,
} from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { EngineLog, type Severity } from "./engine-log";
import { UNKNOWN_VALUE, UnsupportedValueError, isUnknown, marshal, unmarshal } from "./marshal";
import type { InputFailure, NativePackage, NativeResource, OperationOptions } from "./native-resource";
import { OperationStops, type TimedOperation } from "./operation-stop";
import { packageSchema } from "./schema";

/** An error with the gRPC status code to answer with (default UNKNOWN, as for any failed operation). */
export class PluginError extends Error {
  override readonly name = "PluginError";
  constructor(message: string, readonly code: grpc.status = grpc.status.UNKNOWN) {
    super(message);
  }
}

/** A created object that failed afterwards: the runtimes attach its id so the engine keeps it in state. */
interface InitFailure {
  readonly id: string;
  readonly properties?: Record<string, unknown>;
  readonly reasons?: string[];
}

function initFailure(e: unknown): InitFailure | undefined {
  const f = e as Partial<InitFailure> | null;
  return typeof f === "object" && f !== null && typeof f.id === "string" && f.id !== "" ? (f as InitFailure) : undefined;
}

/** The gRPC status of a failed call: the error's message only (no stack), plus the init-failure details when any. */
export function statusOf(e: unknown, secrets: Iterable<string> = []): Partial<grpc.StatusObject> {
  const message = e instanceof Error ? e.message : String(e);
  const code = e instanceof PluginError ? e.code : e instanceof UnsupportedValueError ? grpc.status.INVALID_ARGUMENT : grpc.status.UNKNOWN;
  const metadata = new grpc.Metadata();
  const failed = initFailure(e);
  if (failed) {
    // The engine reads ErrorResourceInitFailed from the status details (grpc-status-details-bin), as Go's gRPC does.
    const detail = new ErrorResourceInitFailed();
    detail.setId(failed.id);
    detail.setProperties(marshal(failed.properties ?? {}, secrets));
    detail.setReasonsList(failed.reasons ?? []);
    const any = new Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new Status();
    status.setCode(code);
    status.setMessage(message);
    status.addDetails(any);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return { code, details: message, metadata };
}

/** The kind of a changed property in the detailed diff. */
function diffKind(input: boolean, old: unknown, next: unknown, replace: boolean): PropertyDiff.Kind {
  const K = PropertyDiff.Kind;
  if (input && old === undefined) return replace ? K.ADD_REPLACE : K.ADD;
  if (input && next === undefined) return replace ? K.DELETE_REPLACE : K.DELETE;
  return replace ? K.UPDATE_REPLACE : K.UPDATE;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Options of {@link providerService}. */
export interface ServiceOptions {
  /** The engine's log service (messages on the resource's URN). */
  readonly log: EngineLog;
}

/** The ResourceProvider implementation for `pkg`. */
export function providerService(pkg: NativePackage, options: ServiceOptions): grpc.UntypedServiceImplementation {
  const { log } = options;
  const byToken = new Map(pkg.resources.map((r) => [r.token, r]));
  const configSecrets = pkg.config.properties.filter((p) => p.secret).map((p) => p.name);
  const stops = new OperationStops();
  // The state a Diff decided to replace, by URN, for the Create of the replacement (the engine sends Create none).
  const replacing = new Map<string, Record<string, unknown>>();
  /** Runs one timed operation under its signal (./operation-stop): `timeout` is the engine's, in seconds. */
  const timed = <T>(operation: TimedOperation, urn: string, timeoutSeconds: number, work: (options: OperationOptions) => Promise<T>): Promise<T> =>
    stops.run({ operation, urn, timeoutSeconds }, (signal) => work({ signal }));
  /** Check and Diff have no timeout, but the engine's Cancel stops them too. */
  const cancellable = <T>(work: (options: OperationOptions) => Promise<T>): Promise<T> => stops.cancellable((signal) => work({ signal }));

  const resourceOf = (urnOrType: string): NativeResource => {
    // A URN ends with `::<type>::<name>`; the type may carry parent types (`a$b`), the last one is ours.
    const parts = urnOrType.split("::");
    const type = (parts.length >= 4 ? parts[2] ?? "" : urnOrType).split("$").pop() ?? "";
    const r = byToken.get(type);
    if (!r) throw new PluginError(`unknown resource type ${type}: this provider serves ${[...byToken.keys()].join(", ")}`, grpc.status.INVALID_ARGUMENT);
    return r;
  };
  /** The properties always secret in a resource's state: its secret outputs and its secret inputs. */
  const secretOutputs = (r: NativeResource): string[] => [...r.schema.inputs, ...r.schema.outputs].filter((p) => p.secret).map((p) => p.name);
  const secretInputs = (r: NativeResource): string[] => r.schema.inputs.filter((p) => p.secret).map((p) => p.name);

  /** A unary handler: runs `work` with the call's URN for messages, answers with its result or its error. */
  function unary<Req, Res>(
    work: (req: Req) => Promise<Res>,
    context: (req: Req) => { urn?: string; plain?: Severity; secrets?: () => Iterable<string> } = () => ({}),
  ): grpc.handleUnaryCall<Req, Res> {
    return (call, callback) => {
      const ctx = context(call.request);
      if (stops.cancelled) {
        callback(statusOf(new PluginError("the operation was cancelled: the engine sent Cancel to this provider", grpc.status.CANCELLED)), null);
        return;
      }
      log.during(ctx.urn, ctx.plain ?? "info", () => work(call.request)).then(
        (res) => callback(null, res),
        (e: unknown) => {
          let secrets: Iterable<string> = [];
          try {
            secrets = ctx.secrets?.() ?? [];
          } catch {
            // The request itself could not be read (the error says why); nothing of it goes into the answer.
          }
          callback(statusOf(e, secrets), null);
        },
      );
    };
  }

  const handlers = {
    handshake: unary(async (req: ProviderHandshakeRequest) => {
      log.connect(req.getEngineAddress());
      const res = new ProviderHandshakeResponse();
      res.setAcceptSecrets(true);
      return res;
    }),
    getPluginInfo: unary(async (_req: Empty) => new PluginInfo().setVersion(pkg.version)),
    attach: unary(async (req: PluginAttach) => {
      log.connect(req.getAddress());
      return new Empty();
    }),
    cancel: unary(async (_req: Empty) => {
      // Stops the operations in flight (their service calls are cut) and refuses every later call.
      stops.cancel();
      return new Empty();
    }),
    getSchema: unary(async (req: GetSchemaRequest) => {
      if (req.getVersion() !== 0) throw new PluginError(`unsupported schema version ${req.getVersion()}`, grpc.status.INVALID_ARGUMENT);
      return new GetSchemaResponse().setSchema(JSON.stringify(packageSchema(pkg)));
    }),

    // --- provider configuration (the inputs of the provider resource)
    checkConfig: unary(
      async (req: CheckRequest) => {
        const news = unmarshal(req.getNews());
        const known = Object.fromEntries(Object.entries(news.values).filter(([, v]) => !isUnknown(v)));
        const failures = pkg.config.check(known);
        return checkResponse(news.values, [...news.secrets, ...configSecrets], failures);
      },
      (req) => ({ urn: req.getUrn() }),
    ),
    diffConfig: unary(
      async (req: DiffRequest) => {
        const olds = unmarshal(req.getOlds()).values;
        const news = unmarshal(req.getNews()).values;
        const changed = pkg.config.properties.map((p) => p.name).filter((k) => isUnknown(news[k]) || !sameValue(olds[k], news[k]));
        // A provider's settings change in place: the jobs decide for themselves (a job records its endpoint and is
        // replaced when its provider now points elsewhere).
        return diffResponse({ changes: changed.length > 0, changed, replaces: [], deleteBeforeReplace: false }, olds, news, new Set(changed));
      },
      (req) => ({ urn: req.getUrn() }),
    ),
    configure: unary(async (req: ConfigureRequest) => {
      const values = req.hasArgs() ? unmarshal(req.getArgs()).values : variablesAsValues(pkg.name, req.getVariablesMap());
      // An unknown setting is not left out (the environment's value would take its place): the resources are told.
      const unknown = Object.keys(values).filter((k) => isUnknown(values[k]));
      const known = Object.fromEntries(Object.entries(values).filter(([k]) => !unknown.includes(k)));
      await pkg.config.configure(known, unknown);
      const res = new ConfigureResponse();
      res.setAcceptsecrets(true);
      res.setSupportspreview(true);
      return res;
    }),

    // --- resources
    check: unary(
      async (req: CheckRequest) => {
        const r = resourceOf(req.getUrn());
        const olds = unmarshal(req.getOlds());
        const news = unmarshal(req.getNews());
        const context = { urn: req.getUrn(), name: req.getName() || nameOf(req.getUrn()), randomSeed: req.getRandomseed_asU8() };
        const out = await cancellable((options) => r.check(olds.values, news.values, context, options));
        return checkResponse(out.inputs, [...news.secrets, ...secretInputs(r)], out.failures);
      },
      (req) => ({ urn: req.getUrn() }),
    ),
    diff: unary(
      async (req: DiffRequest) => {
        const r = resourceOf(req.getUrn());
        const olds = unmarshal(req.getOlds()).values;
        const news = unmarshal(req.getNews()).values;
        const out = await cancellable((options) => r.diff(req.getId(), olds, news, options));
        if (out.replaces.length > 0) replacing.set(req.getUrn(), olds);
        else replacing.delete(req.getUrn());
        return diffResponse(out, olds, news, new Set(r.schema.inputs.map((p) => p.name)));
      },
      // The runtimes print the reason of a replacement as a plain line during diff: it is a warning on the resource.
      (req) => ({ urn: req.getUrn(), plain: "warning" }),
    ),
    create: unary(
      async (req: CreateRequest) => {
        const r = resourceOf(req.getUrn());
        const inputs = unmarshal(req.getProperties());
        const secrets = [...inputs.secrets, ...secretOutputs(r)];
        const res = new CreateResponse();
        if (req.getPreview()) {
          // What the plan shows: the inputs as checked, every output unknown until `up`.
          const planned = { ...inputs.values, ...Object.fromEntries(r.schema.outputs.map((p) => [p.name, UNKNOWN_VALUE])) };
          return res.setId("").setProperties(marshal(planned, secrets));
        }
        const replaced = replacing.get(req.getUrn());
        replacing.delete(req.getUrn());
        const made = await timed("create", req.getUrn(), req.getTimeout(), (options) => r.create(inputs.values, { ...options, ...(replaced ? { replaced } : {}) }));
        return res.setId(made.id).setProperties(marshal(made.outputs, secrets));
      },
      (req) => ({ urn: req.getUrn(), secrets: () => unmarshal(req.getProperties()).secrets }),
    ),
    read: unary(
      async (req: ReadRequest) => {
        const r = resourceOf(req.getUrn());
        const state = unmarshal(req.getProperties());
        const inputs = unmarshal(req.getInputs());
        const found = await timed("read", req.getUrn(), req.getTimeout(), (options) => r.read(req.getId(), state.values, options));
        const res = new ReadResponse().setId(found.id);
        if (found.id === "") return res;
        const byValue = found.secrets ?? [];
        if (found.outputs) res.setProperties(marshal(found.outputs, [...state.secrets, ...inputs.secrets, ...secretOutputs(r), ...byValue]));
        // The schema's secret inputs too: an import sends no inputs whose secrecy could carry over.
        if (found.inputs) res.setInputs(marshal(found.inputs, [...inputs.secrets, ...secretInputs(r), ...byValue]));
        return res;
      },
      (req) => ({ urn: req.getUrn() }),
    ),
    update: unary(
      async (req: UpdateRequest) => {
        const r = resourceOf(req.getUrn());
        const olds = unmarshal(req.getOlds());
        const news = unmarshal(req.getNews());
        const secrets = [...news.secrets, ...secretOutputs(r)];
        if (req.getPreview()) return new UpdateResponse().setProperties(marshal({ ...olds.values, ...news.values }, [...olds.secrets, ...secrets]));
        const outputs = await timed("update", req.getUrn(), req.getTimeout(), (options) => r.update(req.getId(), olds.values, news.values, options));
        return new UpdateResponse().setProperties(marshal(outputs, secrets));
      },
      (req) => ({ urn: req.getUrn() }),
    ),
    delete: unary(
      async (req: DeleteRequest) => {
        const r = resourceOf(req.getUrn());
        const state = unmarshal(req.getProperties()).values;
        await timed("delete", req.getUrn(), req.getTimeout(), (options) => r.delete(req.getId(), state, options));
        return new Empty();
      },
      (req) => ({ urn: req.getUrn() }),
    ),
  };
  return handlers as unknown as grpc.UntypedServiceImplementation;
}

/** The resource name a URN ends with (`…::<type>::<name>`). */
function nameOf(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/** Stack config variables (`<pkg>:config:<name>` or `<pkg>:<name>`) as provider inputs, for engines that send no args. */
function variablesAsValues(pkgName: string, variables: { forEach(f: (v: string, k: string) => void): void }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  variables.forEach((v, k) => {
    const m = new RegExp(`^${pkgName}:(?:config:)?(.+)$`).exec(k);
    if (m?.[1] !== undefined) out[m[1]] = v;
  });
  return out;
}

function checkResponse(inputs: Record<string, unknown>, secrets: Iterable<string>, failures: readonly InputFailure[]): CheckResponse {
  const res = new CheckResponse().setInputs(marshal(inputs, secrets));
  res.setFailuresList(failures.map((f) => new CheckFailure().setProperty(f.property).setReason(f.reason)));
  return res;
}

/** A DiffResponse with the detailed diff: every changed or replaced property, as an update or a replacement. */
function diffResponse(
  out: { changes: boolean | undefined; changed: readonly string[]; replaces: readonly string[]; deleteBeforeReplace: boolean },
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  inputNames: ReadonlySet<string>,
): DiffResponse {
  const res = new DiffResponse();
  res.setChanges(out.changes === undefined ? DiffResponse.DiffChanges.DIFF_UNKNOWN : out.changes ? DiffResponse.DiffChanges.DIFF_SOME : DiffResponse.DiffChanges.DIFF_NONE);
  res.setReplacesList([...out.replaces]);
  res.setDeletebeforereplace(out.replaces.length > 0 && out.deleteBeforeReplace);
  const keys = [...new Set([...out.changed, ...out.replaces])];
  res.setDiffsList(keys);
  const detailed = res.getDetaileddiffMap();
  for (const k of keys) {
    const input = inputNames.has(k);
    const d = new PropertyDiff();
    d.setKind(diffKind(input, olds[k], news[k], out.replaces.includes(k)));
    d.setInputdiff(input);
    detailed.set(k, d);
  }
  res.setHasdetaileddiff(true);
  return res;
}

/** A running plugin server. */
export interface RunningServer {
  readonly port: number;
  /** Stops serving (in-flight calls are cut) and closes the engine connection. */
  close(): Promise<void>;
}

/** Serves `pkg` on 127.0.0.1 (an ephemeral port unless `port` is given). */
export async function serve(pkg: NativePackage, options: ServiceOptions & { readonly port?: number }): Promise<RunningServer> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(ResourceProviderService, providerService(pkg, options));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown();
        options.log.close();
        resolve();
      }),
  };
}
