// IoT jobs on the emulator dashboard: the renderer of the page state's `jobKinds.iot` (admin routes under
// /_emulator/iot/...). A plain browser script, served as /_emulator/ui/kinds/iot.js and loaded before dashboard.js,
// whose helpers (el, select, draft, drafts, act, admin, say) it calls when the page renders.
"use strict";

{
  /** Execution statuses a device can report (the admin API refuses a move back to QUEUED). */
  const REPORTABLE = ["IN_PROGRESS", "SUCCEEDED", "FAILED", "TIMED_OUT", "REJECTED", "REMOVED", "CANCELED"];
  const TERMINAL = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "REJECTED", "REMOVED", "CANCELED"]);
  /** A device's next report on the happy path: QUEUED → IN_PROGRESS → SUCCEEDED. */
  const nextExecutionStatus = (status) => (status === "QUEUED" ? "IN_PROGRESS" : "SUCCEEDED");

  (globalThis.dashboardKinds ??= []).push({
    id: "iot",
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
  });
}
