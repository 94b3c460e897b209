/**
 * The secrets sweep every reliability test ends with (issue 13, part 2): every output, log, error, state file and
 * emulator journal of the run is searched for the secrets the run used — the accounts' secret keys, session tokens,
 * the request signatures the emulator actually received, and (outside the emulator's own journal) the jobs'
 * device Signatures. The expectation is always 0 found.
 *
 * Request signatures are recorded as the emulator receives them, through Node's `http.server.request.start`
 * diagnostics channel (the in-process emulator's server publishes every request there), so the sweep looks for the
 * exact values that crossed the wire — SigV2 `Signature` parameters, SigV4 `Signature=` in Authorization or
 * `X-Amz-Signature`, and `SecurityToken` / `X-Amz-Security-Token`.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { join, relative } from "node:path";

/** One secret to look for. */
export interface Secret {
  readonly kind: "secret key" | "session token" | "request signature" | "job signature";
  readonly value: string;
}

/** One text the sweep reads, named for the report. */
export interface Source {
  readonly name: string;
  readonly text: string;
}

/** A secret found in a source (the value itself is never printed: only its kind and a 4-character prefix). */
export interface Finding {
  readonly source: string;
  readonly kind: Secret["kind"];
  readonly hint: string;
  /** Up to 60 characters before the first occurrence (never the secret itself): where in the source it is. */
  readonly before: string;
}

const CHANNEL = "http.server.request.start";
/** Only the first bytes of a body are read for signatures (hostile tests send bodies of many megabytes). */
const BODY_PREFIX_BYTES = 64 * 1024;

/** Records the signatures and session tokens of every request any node:http server in this process receives. */
export class WireSecretRecorder {
  readonly signatures = new Set<string>();
  readonly tokens = new Set<string>();
  private readonly listener = (message: unknown): void => {
    const req = (message as { request?: IncomingMessage }).request;
    if (req) this.observe(req);
  };

  constructor() {
    subscribe(CHANNEL, this.listener);
  }

  /** Secrets recorded so far, as sweep input. */
  secrets(): Secret[] {
    return [
      ...[...this.signatures].map((value) => ({ kind: "request signature" as const, value })),
      ...[...this.tokens].map((value) => ({ kind: "session token" as const, value })),
    ];
  }

  /** Stops recording. */
  stop(): void {
    unsubscribe(CHANNEL, this.listener);
  }

  private observe(req: IncomingMessage): void {
    const auth = req.headers["authorization"];
    const sig4 = typeof auth === "string" ? /Signature=([0-9a-fA-F]{16,})/.exec(auth)?.[1] : undefined;
    if (sig4) this.signatures.add(sig4);
    const token = req.headers["x-amz-security-token"];
    if (typeof token === "string" && token.length > 0) this.tokens.add(token);
    const query = (req.url ?? "").split("?")[1];
    if (query) this.params(query);
    let seen = 0;
    const chunks: Buffer[] = [];
    // Several 'data' listeners each get every chunk; the emulator's own reader is unaffected.
    req.on("data", (chunk: Buffer) => {
      if (seen >= BODY_PREFIX_BYTES) return;
      chunks.push(chunk.subarray(0, BODY_PREFIX_BYTES - seen));
      seen += chunk.length;
    });
    req.on("end", () => {
      if (chunks.length > 0) this.params(Buffer.concat(chunks).toString("latin1"));
    });
  }

  private params(text: string): void {
    let p: URLSearchParams;
    try {
      p = new URLSearchParams(text);
    } catch {
      return;
    }
    for (const name of ["Signature", "X-Amz-Signature"]) {
      const v = p.get(name);
      if (v && v.length >= 16) this.signatures.add(v);
    }
    for (const name of ["SecurityToken", "X-Amz-Security-Token"]) {
      const v = p.get(name);
      if (v && v.length >= 8) this.tokens.add(v);
    }
  }
}

/** Every regular file under `dir` (recursively), as sources; binary files are read as latin1 text too. */
export function filesUnder(dir: string, label = dir): Source[] {
  if (!existsSync(dir)) return [];
  const out: Source[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) {
        // Plugins and node_modules are code, not run output.
        if (name === "node_modules" || name === "plugins") continue;
        walk(p);
      } else if (st.isFile() && st.size < 64 * 1024 * 1024) {
        out.push({ name: `${label}/${relative(dir, p)}`, text: readFileSync(p, "latin1") });
      }
    }
  };
  walk(dir);
  return out;
}

/**
 * Looks for each secret in each source. A secret appears in a source also when it is URL- or JSON-escaped there
 * (base64 signatures contain `+`, `/` and `=`), so those spellings are searched too.
 */
export function sweepSecrets(sources: readonly Source[], secrets: readonly Secret[]): Finding[] {
  const findings: Finding[] = [];
  const wanted = secrets.filter((s) => s.value.length >= 8);
  for (const source of sources) {
    for (const secret of wanted) {
      const spellings = new Set([secret.value, encodeURIComponent(secret.value), JSON.stringify(secret.value).slice(1, -1)]);
      for (const v of spellings) {
        const at = source.text.indexOf(v);
        if (at < 0) continue;
        findings.push({ source: source.name, kind: secret.kind, hint: `${secret.value.slice(0, 4)}…`, before: source.text.slice(Math.max(0, at - 60), at) });
        break;
      }
    }
  }
  return findings;
}

/** Account secret keys (and session tokens, when accounts carry them) as sweep input. */
export function accountSecrets(accounts: readonly { secretAccessKey: string; sessionToken?: string }[]): Secret[] {
  return accounts.flatMap((a) => [
    { kind: "secret key" as const, value: a.secretAccessKey },
    ...(a.sessionToken ? [{ kind: "session token" as const, value: a.sessionToken }] : []),
  ]);
}

/** The key Pulumi marks a secret value with in engine events and state (`{ [SECRET_SIG]: SECRET_VALUE, value }`). */
const PULUMI_SECRET_SIG = "4dabf18193072939515e22adb298388d";
const PULUMI_SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/** The Pulumi Node.js runtime's debug line that prints each RegisterResource response, secret outputs included. */
export const RUNTIME_DEBUG_RESPONSE = /^RegisterResource RPC finished: /;

/**
 * Engine events as sources: (1) everything, with every Pulumi-marked secret value replaced by `[secret]` (the
 * Automation API's event stream carries secret outputs as marked plaintext by Pulumi's design), except (2) the
 * Pulumi Node.js runtime's debug diagnostics "RegisterResource RPC finished: … resp: …", which print the engine's
 * response struct — secret outputs in plaintext — and are swept as a source of their own: they are Pulumi's, shown
 * only with `pulumi up --debug`, and a test states exactly what may be found there (docs/reliability.md).
 */
export function eventSources(name: string, events: readonly unknown[]): { events: Source; runtimeDebug: Source } {
  const isRuntimeDebug = (e: unknown): boolean => {
    const d = (e as { diagnosticEvent?: { severity?: string; message?: string } }).diagnosticEvent;
    return d?.severity === "debug" && RUNTIME_DEBUG_RESPONSE.test(d.message ?? "");
  };
  const text = JSON.stringify(events.filter((e) => !isRuntimeDebug(e)), (_k, v: unknown) => {
    if (v !== null && typeof v === "object" && (v as Record<string, unknown>)[PULUMI_SECRET_SIG] === PULUMI_SECRET_VALUE) return "[secret]";
    return v;
  });
  return {
    events: { name, text },
    runtimeDebug: { name: `${name} (Pulumi runtime debug: RegisterResource responses)`, text: JSON.stringify(events.filter(isRuntimeDebug)) },
  };
}

/**
 * Splits findings into those that fail a run and the one known upstream exposure: a job's device Signature (a secret
 * output) in the Pulumi runtime's debug RegisterResource responses. Keys, tokens and request signatures fail anywhere.
 */
export function partitionFindings(findings: readonly Finding[]): { failing: Finding[]; upstreamDebug: Finding[] } {
  const upstream = (f: Finding): boolean => f.kind === "job signature" && f.source.endsWith("(Pulumi runtime debug: RegisterResource responses)");
  return { failing: findings.filter((f) => !upstream(f)), upstreamDebug: findings.filter(upstream) };
}
