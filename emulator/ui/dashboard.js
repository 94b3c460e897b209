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
// The state lists the kinds of job the emulator runs (`kinds`, one per registered service with a dashboard part)
// and each kind's jobs (`jobKinds[id]`). A service's own script (ui/kinds/<id>.js, loaded before this one) registers
// its columns, buttons and details in `dashboardKinds`; a kind without one is shown as a plain table.

/** A kind of job without its own script: one column per plain member, the whole job as JSON in its details. */
function plainKind(id) {
  return {
    id,
    key: (job) => String(job.jobId ?? JSON.stringify(job)),
    columns: (jobs) => [...new Set(jobs.flatMap((job) => Object.keys(job).filter((k) => k !== "accountId" && ["string", "number", "boolean"].includes(typeof job[k]))))].slice(0, 6).map((k) => [k, (job) => job[k], k]),
    actions: () => [],
    details: (job) => [el("pre", {}, JSON.stringify(job, null, 2))],
  };
}

/** The renderer of a kind: its script's, else a plain table. */
function kindOf(id) {
  return (globalThis.dashboardKinds ?? []).find((kind) => kind.id === id) ?? plainKind(id);
}

// ---- rendering ----------------------------------------------------------------------------------------------

/** Jobs whose details are open (kept across re-renders). */
const open = new Set();

/** The page of each kind of job on screen (0: the newest); the state answer says which page it really is. */
const pageOf = {};

/** "Jobs 101–200 of 10000" and Previous/Next, when a kind has more jobs than one state answer holds. */
function pager(id, info) {
  if (info === undefined || info.total <= info.pageSize) return [];
  const last = Math.ceil(info.total / info.pageSize) - 1;
  const go = (page) => {
    pageOf[id] = page;
    void refresh();
  };
  const first = info.page * info.pageSize;
  return el("nav", { class: "pager", "data-testid": `pager-${id}` },
    el("button", { type: "button", "data-testid": "page-previous", disabled: info.page === 0, onclick: () => go(info.page - 1) }, "Previous"),
    el("span", { "data-testid": "page-info" }, `Jobs ${first + 1}–${Math.min(first + info.pageSize, info.total)} of ${info.total}`),
    el("button", { type: "button", "data-testid": "page-next", disabled: info.page >= last, onclick: () => go(info.page + 1) }, "Next"));
}

function renderKind({ id, title }, state) {
  const kind = kindOf(id);
  const jobs = state.jobKinds[id] ?? [];
  const info = state.pages?.[id];
  const columns = typeof kind.columns === "function" ? kind.columns(jobs) : kind.columns;
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
        columns.map(([, value, testid]) => el("td", { "data-testid": testid }, value(job))),
        el("td", { class: "actions" }, kind.actions(job, state.choices), toggle));
      if (!open.has(key)) return [row];
      return [row, el("tr", { class: "details", "data-testid": `details-${kind.key(job)}` }, el("td", { colspan: columns.length + 1 }, kind.details(job)))];
    });
    return el("section", { class: "account", "data-testid": `account-${account.accountId}` },
      el("h3", {}, `Account ${account.accountId} `, el("span", { class: "muted" }, `(${account.accessKeyId})`), el("span", { class: "count" }, ` ${total} job(s)`)),
      own.length === 0
        ? el("p", { class: "muted" }, total === 0 ? "No jobs yet." : "None on this page.")
        : el("table", { class: "jobs" }, el("tr", {}, columns.map(([label]) => el("th", {}, label)), el("th", {}, "")), rows));
  });
  return el("section", { class: "kind", "data-testid": `kind-${id}` }, el("h2", {}, title), pager(id, info), sections);
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
  // The kinds this emulator runs, in the registry's order (listed even when they have no jobs yet).
  document.getElementById("kinds").replaceChildren(...state.kinds.map((kind) => renderKind(kind, state)));
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
