/**
 * Messages for the person running `pulumi`, through the engine's log service, attached to the resource a call is
 * about.
 *
 * The resource runtimes tell the user things by printing lines (`warning: …`, the reason of a replacement): that is
 * the only channel a dynamic provider has. In the plugin those lines must not reach stdout (the engine reads the
 * plugin's port from it) and should appear on the resource, not the stack. So the plugin routes the console to the
 * engine's `Log` RPC, with the URN of the gRPC call in progress, kept per call in an AsyncLocalStorage: concurrent
 * calls for different resources each get their own lines.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { format } from "node:util";
import type { EngineClient } from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as EngineMessages from "@pulumi/pulumi/proto/engine_pb";

/** How serious a message is, in the engine's words. */
export type Severity = "debug" | "info" | "warning" | "error";

/**
 * The engine service's client and messages, loaded with the first message: a preview of unchanged resources logs
 * nothing, and the plugin's start-up (spawn to port line) should not pay for them.
 */
function engineProto(): { EngineClient: typeof EngineClient; messages: typeof EngineMessages; insecure: () => import("@grpc/grpc-js").ChannelCredentials } {
  const grpc = require("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
  return {
    EngineClient: (require("@pulumi/pulumi/proto/engine_grpc_pb") as typeof import("@pulumi/pulumi/proto/engine_grpc_pb")).EngineClient,
    messages: require("@pulumi/pulumi/proto/engine_pb") as typeof EngineMessages,
    insecure: () => grpc.credentials.createInsecure(),
  };
}

/** The call a line belongs to. */
interface CallContext {
  readonly urn: string | undefined;
  /** The severity of a plain line (one without a `warning: ` prefix) printed during this call. */
  readonly plain: Severity;
  readonly pending: Promise<void>[];
}

/** The runtimes' prefix for a warning line. */
const WARNING_PREFIX = /^warning:\s*/i;

/** The engine's log service, and the console routed to it. */
export class EngineLog {
  private client: EngineClient | undefined;
  private address: string | undefined;
  private readonly calls = new AsyncLocalStorage<CallContext>();

  /**
   * Connects to the engine at `address` (host:port); a later address (Attach, Handshake) replaces the earlier one.
   * The connection is made with the first message.
   */
  connect(address: string): void {
    if (address === "" || address === this.address) return;
    this.client?.close();
    this.client = undefined;
    this.address = address;
  }

  /** Sends one message; without an engine (or when it cannot be reached) the message goes to stderr. */
  log(severity: Severity, message: string, urn?: string): Promise<void> {
    if (this.address === undefined) {
      process.stderr.write(`${severity}: ${message}\n`);
      return Promise.resolve();
    }
    const proto = engineProto();
    const client = (this.client ??= new proto.EngineClient(this.address, proto.insecure()));
    const { LogRequest, LogSeverity } = proto.messages;
    const req = new LogRequest();
    req.setSeverity({ debug: LogSeverity.DEBUG, info: LogSeverity.INFO, warning: LogSeverity.WARNING, error: LogSeverity.ERROR }[severity]);
    req.setMessage(message);
    if (urn !== undefined) req.setUrn(urn);
    return new Promise((resolve) => {
      client.log(req, (err) => {
        if (err) process.stderr.write(`${severity}: ${message}\n`);
        resolve();
      });
    });
  }

  /**
   * Runs one gRPC call's work with its URN: every console line printed meanwhile goes to the engine on that URN, and
   * the call's answer waits until those lines were delivered (so they show before the step's outcome).
   */
  async during<T>(urn: string | undefined, plain: Severity, work: () => Promise<T>): Promise<T> {
    const ctx: CallContext = { urn, plain, pending: [] };
    try {
      return await this.calls.run(ctx, work);
    } finally {
      await Promise.all(ctx.pending);
    }
  }

  /** One printed line: `warning: …` is a warning, anything else has the call's plain severity. */
  private line(fallback: Severity, args: unknown[]): void {
    const ctx = this.calls.getStore();
    const text = format(...args);
    const warning = WARNING_PREFIX.test(text);
    const severity: Severity = warning ? "warning" : fallback === "info" ? ctx?.plain ?? "info" : fallback;
    const sent = this.log(severity, warning ? text.replace(WARNING_PREFIX, "") : text, ctx?.urn);
    ctx?.pending.push(sent);
  }

  /** Routes console.log/info/warn/error (and console.debug) to the engine. stdout stays free for the port line. */
  captureConsole(): void {
    console.log = (...a: unknown[]) => this.line("info", a);
    console.info = (...a: unknown[]) => this.line("info", a);
    console.warn = (...a: unknown[]) => this.line("warning", a);
    console.error = (...a: unknown[]) => this.line("error", a);
    console.debug = (...a: unknown[]) => this.line("debug", a);
  }

  /** Closes the connection to the engine. */
  close(): void {
    this.client?.close();
    this.client = undefined;
    this.address = undefined;
  }
}
