// Import/Export jobs on the emulator dashboard: the renderer of the page state's `jobKinds.importExport`. A plain
// browser script, served as /_emulator/ui/kinds/importExport.js and loaded before dashboard.js, whose helpers (el,
// select, draft, drafts, act, admin, say) it calls when the page renders.
"use strict";

(globalThis.dashboardKinds ??= []).push({
  id: "importExport",
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
});
