// The emulator dashboard's script: plain browser JavaScript, served as a static file (no framework, no build step).
// It reads `GET /_emulator/ui/state` (one page of each kind of job, see `pageOf`), refetches it whenever `GET /_emulator/ui/events` (server-sent events) says
// something changed, and every button calls the ordinary admin API with a JSON body. All text goes into the page
// through textContent, never as markup, so a manifest or fault message cannot inject script.
"use strict";

const ADMIN = "/_emulator/";

/** Builds an element: `el("td", { class: "x", "data-testid": "y" }, child, "text", ...)`. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function select(name, values, testid, blank) {
  return el("select", { name, "data-testid": testid }, blank === undefined ? [] : el("option", { value: "" }, blank), values.map((v) => el("option", { value: v }, v)));
}

/** Calls the admin API (always with a JSON content type, which the emulator requires for changes). */
async function admin(method, path, body) {
  const res = await fetch(ADMIN + path, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) });
  const text = await res.text();
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    value = { error: text };
  }
  if (!res.ok) throw new Error(value && value.error ? value.error : `HTTP ${res.status}`);
  return value;
}

function say(text, isError) {
  const message = document.getElementById("message");
  message.textContent = text;
  message.className = isError ? "error" : "ok";
}

/** Runs an admin call from a button: shows what happened, refreshes the page. */
async function act(description, call) {
  try {
    await call();
    say(description, false);
  } catch (e) {
    say(`${description}: refused — ${e instanceof Error ? e.message : String(e)}`, true);
  }
  await refresh();
}

/**
 * Keeps a control's value across re-renders (a change elsewhere must not reset a half-made choice); forgotten once
 * the action it belongs to ran.
 */
const drafts = new Map();
function draft(key, control) {
  if (drafts.has(key)) control.value = drafts.get(key);
  control.addEventListener("change", () => drafts.set(key, control.value));
  return control;
}

// ---- job kinds ----------------------------------------------------------------------------------------------
// Each kind of job the emulator runs is one entry: where its list is in the state (`jobKinds[id]`), its columns,
// its buttons and its details. Import/Export jobs and IoT Jobs (admin routes under /_emulator/iot/...) today.

const importExportKind = {
  id: "importExport",
  title: "Import/Export jobs",
  key: (job) => job.jobId,
  columns: [
    ["JobId", (job) => job.jobId, "jobid"],
    ["Type", (job) => job.jobType, "type"],
    ["Location", (job) => job.locationCode, "location"],
    ["Progress", (job) => job.progressCode, "progress"],
    ["Canceled", (job) => (job.isCanceled ? "yes" : "no"), "canceled"],
    ["Created", (job) => job.creationDate, "created"],
  ],
  actions(job, choices) {
    const id = encodeURIComponent(job.jobId);
    const progress = draft(`importExport:${job.jobId}:progress`, select("progressCode", choices.progressCodes, "set-progress", "ProgressCode…"));
    const location = draft(`importExport:${job.jobId}:location`, select("locationCode", choices.locationCodes, "set-location", "LocationCode…"));
    const set = () => {
      const change = {};
      if (progress.value !== "") change.progressCode = progress.value;
      if (location.value !== "") change.locationCode = location.value;
      if (Object.keys(change).length === 0) return say("Pick a ProgressCode or LocationCode first.", true);
      drafts.delete(`importExport:${job.jobId}:progress`);
      drafts.delete(`importExport:${job.jobId}:location`);
      return act(`Job ${job.jobId} set to ${Object.values(change).join("/")}`, () => admin("POST", `jobs/${id}/advance`, change));
    };
    return [
      el("button", { type: "button", "data-testid": "advance", onclick: () => act(`Job ${job.jobId} advanced to the next stage`, () => admin("POST", `jobs/${id}/advance`, {})) }, "Advance"),
      progress,
      location,
      el("button", { type: "button", "data-testid": "set-state", onclick: set }, "Set"),
    ];
  },
  details(job) {
    const facts = [
      ["Region", job.region],
      ["Error count", job.errorCount],
      ["Carrier", job.carrier],
      ["Tracking number", job.trackingNumber],
      ["Log", job.logKey === undefined ? undefined : `s3://${job.logBucket}/${job.logKey}`],
    ].filter(([, v]) => v !== undefined);
    return [
      el("dl", { "data-testid": "facts" }, facts.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])),
      el("h4", {}, "Manifest (device passwords redacted)"),
      el("pre", { "data-testid": "manifest" }, job.manifest),
      el("h4", {}, "History"),
      el("table", { class: "history", "data-testid": "history" },
        el("tr", {}, el("th", {}, "At"), el("th", {}, "Cause"), el("th", {}, "Location"), el("th", {}, "Progress")),
        job.history.map((t) => el("tr", {}, el("td", {}, t.at), el("td", {}, t.cause), el("td", {}, t.locationCode), el("td", {}, t.progressCode)))),
      el("h4", {}, "Artifacts"),
      el("ul", { "data-testid": "artifacts" }, job.artifacts.map((a) => el("li", {}, el("a", { href: a.url, target: "_blank", rel: "noopener" }, a.description)))),
    ];
  },
};

/** Execution statuses a device can report (the admin API refuses a move back to QUEUED). */
const REPORTABLE = ["IN_PROGRESS", "SUCCEEDED", "FAILED", "TIMED_OUT", "REJECTED", "REMOVED", "CANCELED"];
const TERMINAL = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "REJECTED", "REMOVED", "CANCELED"]);
/** A device's next report on the happy path: QUEUED → IN_PROGRESS → SUCCEEDED. */
const nextExecutionStatus = (status) => (status === "QUEUED" ? "IN_PROGRESS" : "SUCCEEDED");

const iotKind = {
  id: "iot",
  title: "IoT jobs",
  key: (job) => `iot-${job.jobId}`,
  columns: [
    ["Job ID", (job) => job.jobId, "jobid"],
    ["Region", (job) => job.region, "region"],
    ["Status", (job) => job.status, "status"],
    ["Targets", (job) => `${job.targets.length} (${job.targetSelection})`, "targets"],
    ["Executions", (job) => job.executions.map((e) => `${e.thingName} ${e.status}`).join(", ") || "none", "executions"],
  ],
  actions(job) {
    const scope = { accountId: job.accountId, region: job.region };
    const pending = job.executions.filter((e) => !TERMINAL.has(e.status));
    // Every open execution takes its next step; QUEUED ones start first, so a click never skips IN_PROGRESS.
    const status = pending.some((e) => e.status === "QUEUED") ? "IN_PROGRESS" : "SUCCEEDED";
    return [
      el("button", {
        type: "button", "data-testid": "advance-executions", disabled: pending.length === 0,
        onclick: () => act(`IoT job ${job.jobId}: open executions report ${status}`, () => admin("POST", `iot/jobs/${encodeURIComponent(job.jobId)}/executions`, { status, ...scope })),
      }, "Advance executions"),
    ];
  },
  details(job) {
    const scope = { accountId: job.accountId, region: job.region };
    const path = (thing) => `iot/jobs/${encodeURIComponent(job.jobId)}/executions/${encodeURIComponent(thing)}`;
    const details = Object.entries(job.jobProcessDetails ?? {});
    return [
      el("dl", { "data-testid": "facts" }, el("dt", {}, "ARN"), el("dd", {}, job.jobArn), details.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])),
      el("h4", {}, "Executions"),
      el("table", { class: "history", "data-testid": "executions-table" },
        el("tr", {}, el("th", {}, "Thing"), el("th", {}, "Status"), el("th", {}, "")),
        job.executions.map((e) => {
          const status = draft(`iot:${job.accountId}:${job.region}:${job.jobId}:${e.thingName}`, select("status", REPORTABLE, "set-execution-status", "Status…"));
          const done = TERMINAL.has(e.status);
          const next = nextExecutionStatus(e.status);
          return el("tr", { "data-testid": `execution-${e.thingName}` },
            el("td", {}, e.thingName),
            el("td", { "data-testid": "execution-status" }, e.status),
            el("td", { class: "actions" },
              el("button", { type: "button", "data-testid": "advance-execution", disabled: done, onclick: () => act(`IoT job ${job.jobId} on ${e.thingName}: ${next}`, () => admin("POST", path(e.thingName), { status: next, ...scope })) }, "Advance execution"),
              status,
              el("button", { type: "button", "data-testid": "set-execution", disabled: done, onclick: () => {
                if (status.value === "") return say("Pick a status first.", true);
                const chosen = status.value;
                drafts.delete(`iot:${job.accountId}:${job.region}:${job.jobId}:${e.thingName}`);
                return act(`IoT job ${job.jobId} on ${e.thingName}: ${chosen}`, () => admin("POST", path(e.thingName), { status: chosen, ...scope }));
              } }, "Set")));
        })),
    ];
  },
};

const JOB_KINDS = [importExportKind, iotKind];

// ---- rendering ----------------------------------------------------------------------------------------------

/** Jobs whose details are open (kept across re-renders). */
const open = new Set();

/** The page of each kind of job on screen (0: the newest); the state answer says which page it really is. */
const pageOf = {};

/** "Jobs 101–200 of 10000" and Previous/Next, when a kind has more jobs than one state answer holds. */
function pager(kind, info) {
  if (info === undefined || info.total <= info.pageSize) return [];
  const last = Math.ceil(info.total / info.pageSize) - 1;
  const go = (page) => {
    pageOf[kind.id] = page;
    void refresh();
  };
  const first = info.page * info.pageSize;
  return el("nav", { class: "pager", "data-testid": `pager-${kind.id}` },
    el("button", { type: "button", "data-testid": "page-previous", disabled: info.page === 0, onclick: () => go(info.page - 1) }, "Previous"),
    el("span", { "data-testid": "page-info" }, `Jobs ${first + 1}–${Math.min(first + info.pageSize, info.total)} of ${info.total}`),
    el("button", { type: "button", "data-testid": "page-next", disabled: info.page >= last, onclick: () => go(info.page + 1) }, "Next"));
}

function renderKind(kind, state) {
  const jobs = state.jobKinds[kind.id];
  const info = state.pages?.[kind.id];
  const sections = state.accounts.map((account) => {
    const own = jobs.filter((job) => job.accountId === account.accountId);
    const total = info?.perAccount[account.accountId] ?? own.length;
    const rows = own.flatMap((job) => {
      const key = `${kind.id}:${kind.key(job)}`;
      const toggle = el("button", { type: "button", "data-testid": "details-toggle", "aria-expanded": open.has(key) ? "true" : "false", onclick: () => {
        if (open.has(key)) open.delete(key);
        else open.add(key);
        render(state);
      } }, open.has(key) ? "Hide" : "Details");
      const row = el("tr", { "data-testid": `job-${kind.key(job)}`, "data-kind": kind.id },
        kind.columns.map(([, value, testid]) => el("td", { "data-testid": testid }, value(job))),
        el("td", { class: "actions" }, kind.actions(job, state.choices), toggle));
      if (!open.has(key)) return [row];
      return [row, el("tr", { class: "details", "data-testid": `details-${kind.key(job)}` }, el("td", { colspan: kind.columns.length + 1 }, kind.details(job)))];
    });
    return el("section", { class: "account", "data-testid": `account-${account.accountId}` },
      el("h3", {}, `Account ${account.accountId} `, el("span", { class: "muted" }, `(${account.accessKeyId})`), el("span", { class: "count" }, ` ${total} job(s)`)),
      own.length === 0
        ? el("p", { class: "muted" }, total === 0 ? "No jobs yet." : "None on this page.")
        : el("table", { class: "jobs" }, el("tr", {}, kind.columns.map(([label]) => el("th", {}, label)), el("th", {}, "")), rows));
  });
  return el("section", { class: "kind", "data-testid": `kind-${kind.id}` }, el("h2", {}, kind.title), pager(kind, info), sections);
}

function describeRule(rule) {
  const parts = [`${rule.action}: ${rule.kind}`];
  for (const k of ["count", "remaining", "probability", "status", "code", "latencyMs"]) if (rule[k] !== undefined) parts.push(`${k} ${rule[k]}`);
  return parts.join(", ");
}

let choicesFilled = false;
function fillFaultChoices(choices) {
  if (choicesFilled) return;
  choicesFilled = true;
  const form = document.getElementById("fault-form");
  form.elements.action.replaceChildren(...["*", ...choices.actions].map((a) => el("option", { value: a }, a)));
  form.elements.kind.replaceChildren(...choices.faultKinds.map((k) => el("option", { value: k }, k)));
}

/** The state on screen. */
let shown;

/** Which pages a state shows, so a change of page renders even when nothing else changed. */
const pagesOf = (state) => JSON.stringify(Object.fromEntries(Object.entries(state?.pages ?? {}).map(([id, info]) => [id, info.page])));

function render(state) {
  shown = state;
  document.getElementById("endpoint").textContent = state.endpoint;
  fillFaultChoices(state.choices);
  const list = document.getElementById("fault-list");
  list.replaceChildren(...(state.faults.length === 0 ? [el("li", { class: "muted" }, "No fault rules: every call is answered normally.")] : state.faults.map((r) => el("li", { "data-testid": "fault-rule" }, describeRule(r)))));
  // Only the kinds this emulator runs (the state lists each under jobKinds, even when it has no jobs yet).
  document.getElementById("kinds").replaceChildren(...JOB_KINDS.filter((kind) => kind.id in state.jobKinds).map((kind) => renderKind(kind, state)));
  document.body.dataset.version = String(state.version);
}

// ---- data flow ----------------------------------------------------------------------------------------------

let fetching = false;
let again = false;

/** Fetches the state and renders it; calls that arrive while one is in flight collapse into one more fetch. */
async function refresh() {
  if (fetching) {
    again = true;
    return;
  }
  fetching = true;
  try {
    do {
      again = false;
      // Only pages past the first are named (the first is what a state request without a query answers).
      const query = new URLSearchParams(Object.entries(pageOf).filter(([, page]) => page > 0)).toString();
      const res = await fetch(`${ADMIN}ui/state${query === "" ? "" : `?${query}`}`);
      if (!res.ok) throw new Error(`state: HTTP ${res.status}`);
      const state = await res.json();
      // Asking for a page past the last (jobs were removed) gets the last one: stay there.
      for (const [id, info] of Object.entries(state.pages ?? {})) pageOf[id] = info.page;
      // The page already shows this version and these pages (a button's own refresh and its change event both ask): skip it.
      if (state.version !== shown?.version || pagesOf(state) !== pagesOf(shown)) render(state);
    } while (again);
  } catch (e) {
    say(`Could not load the emulator state: ${e instanceof Error ? e.message : String(e)}`, true);
  } finally {
    fetching = false;
  }
}

function faultRuleFromForm(form) {
  const rule = { action: form.elements.action.value, kind: form.elements.kind.value };
  for (const name of ["count", "status", "latencyMs"]) {
    const v = form.elements[name].value.trim();
    if (v !== "") rule[name] = Number(v);
  }
  const code = form.elements.code.value.trim();
  if (code !== "") rule.code = code;
  return rule;
}

function start() {
  const form = document.getElementById("fault-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const rule = faultRuleFromForm(form);
    void act(`Fault rule added (${describeRule(rule)})`, () => admin("POST", "faults", [rule]));
  });
  document.getElementById("fault-clear").addEventListener("click", () => void act("Fault rules cleared", () => admin("DELETE", "faults")));

  const live = document.getElementById("live");
  const events = new EventSource(`${ADMIN}ui/events`);
  events.addEventListener("open", () => {
    live.textContent = "live";
    live.className = "badge live";
    void refresh(); // also after a reconnect: changes made while disconnected are picked up
  });
  events.addEventListener("change", () => void refresh());
  events.addEventListener("error", () => {
    live.textContent = "reconnecting…";
    live.className = "badge down";
  });
  void refresh();
}

start();
