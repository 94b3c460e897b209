// Export: AWS copies objects from S3 onto your (encrypted) device and ships it back.
//
// Each `operations` entry is one data set; they run in order. The device password is a secret: it comes from
// `pulumi config set --secret devicePassword …`, so the whole manifest is a secret input and stays encrypted in
// state. `manifestYaml` (an output) never shows the password.
import * as pulumi from "@pulumi/pulumi";
import { ImportExportJob, type Manifest } from "pulumi-importexport";

const config = new pulumi.Config();
const dataBucket = config.require("dataBucket");

const manifest = config.requireSecret("devicePassword").apply((password): Manifest => ({
  manifestVersion: "2.0",
  deviceId: "HD001",
  fileSystem: "NTFS",
  trueCryptPassword: password,
  logBucket: config.require("logBucket"),
  logPrefix: "export-logs/",
  recoveryDirectory: "LostAndFound",
  operations: [
    { exportBucket: dataBucket, prefix: "images/", targetDirectory: "images" },
    { exportBucket: dataBucket, prefix: "reports/", beginMarker: "reports/2025-12", endMarker: "reports/2026-06", targetDirectory: "reports" },
  ],
  returnAddress: {
    name: "Jane Roe",
    company: "Example Corp.",
    street1: "123 Any Street",
    city: "Anytown",
    stateOrProvince: "WA",
    postalCode: "91011-1111",
    phoneNumber: "206-555-1111",
    country: "USA",
  },
}));

const archive = new ImportExportJob("archive-copy", { jobType: "Export", manifest });

export const jobId = archive.jobId;
export const shipTo = archive.awsShippingAddress;
export const progress = archive.progressCode;
