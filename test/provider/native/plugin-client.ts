/**
 * What the plugin's gRPC tests share: the plugin served in this process on a loopback port with a client for it, and
 * a small Engine service that records the Log requests the plugin sends (the real engine is in test/engine/native-*).
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import type { LogRequest } from "@pulumi/pulumi/proto/engine_pb";

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
