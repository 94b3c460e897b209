// One job definition for every environment. What differs per stack lives in Pulumi.<stack>.yaml:
//   importexport:endpoint / region / profile  — where the job is created and with which credentials
//   bucket, logBucket                          — the environment's buckets
//   returnAddress, notificationEmail           — who gets the device back and who hears about it
import * as pulumi from "@pulumi/pulumi";
import { ImportExportJob, type ReturnAddress } from "pulumi-importexport";

const config = new pulumi.Config();
const env = pulumi.getStack();

const nightly = new ImportExportJob("nightly-import", {
  jobType: "Import",
  manifest: {
    manifestVersion: "2.0",
    deviceId: `${env}-disk-01`,
    eraseDevice: "yes",
    bucket: config.require("bucket"),
    logBucket: config.require("logBucket"),
    logPrefix: `${env}/`,
    prefix: `incoming/${env}/`,
    notificationEmail: config.require("notificationEmail"),
    returnAddress: config.requireObject<ReturnAddress>("returnAddress"),
  },
});

export const environment = env;
export const jobId = nightly.jobId;
export const progress = nightly.progressCode;
export const endpoint = nightly.endpoint;
