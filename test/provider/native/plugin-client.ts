/**
 * What the plugin's gRPC tests share: the plugin served in this process on a loopback port with a client for it, and
 * a small Engine service that records the Log requests the plugin sends (the real engine is in test/engine/native-*).
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import type { LogRequest } from "@pulumi/pulumi/proto/engine_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { ConfigureRequest, type ConfigureResponse } from "@pulumi/pulumi/proto/provider_pb";
import { EngineLog } from "../../../provider/native/engine-log";
import { importExportPackage } from "../../../provider/native/main";
import { marshal } from "../../../provider/native/marshal";
import { serve, type RunningServer } from "../../../provider/native/server";

/** One RPC as a promise. */
export function rpc<Res>(send: (cb: (e: grpc.ServiceError | null, r: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => send((e, r) => (e ? reject(e) : resolve(r))));
}

/** An Engine service recording the Log requests it is sent. */
export interface RecordingEngine {
  readonly address: string;
  readonly logs: LogRequest[];
  close(): void;
}

/** Starts a gRPC Engine service on a loopback port that records Log requests. */
export async function recordingEngine(): Promise<RecordingEngine> {
  const logs: LogRequest[] = [];
  const server = new grpc.Server();
  server.addService(EngineService, {
    log: (call: grpc.ServerUnaryCall<LogRequest, Empty>, cb: grpc.sendUnaryData<Empty>) => {
      logs.push(call.request);
      cb(null, new Empty());
    },
  } as unknown as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return { address: `127.0.0.1:${port}`, logs, close: () => server.forceShutdown() };
}

/** The plugin served in this process, configured with an emulator's endpoint and account, and a client for it. */
export interface ConfiguredPlugin {
  readonly plugin: RunningServer;
  readonly client: ResourceProviderClient;
  /** Closes the client, then the plugin. */
  close(): Promise<void>;
}

/** Serves the plugin on a loopback port and sends it Configure with `emu`'s endpoint and keys (the secret key as a secret). */
export async function configuredPlugin(emu: { endpoint: string; account: { accessKeyId: string; secretAccessKey: string } }): Promise<ConfiguredPlugin> {
  const plugin = await serve(importExportPackage(), { log: new EngineLog() });
  const client = new ResourceProviderClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure());
  const req = new ConfigureRequest();
  req.setArgs(marshal({ endpoint: emu.endpoint, accessKeyId: emu.account.accessKeyId, secretAccessKey: emu.account.secretAccessKey }, ["secretAccessKey"]));
  await rpc<ConfigureResponse>((cb) => client.configure(req, cb));
  return {
    plugin,
    client,
    async close() {
      client.close();
      await plugin.close();
    },
  };
}
