// Glacier import: the device is imaged as a whole into a Glacier vault (manifestVersion 3.0, jobType Import).
// The log and the job's PDF (shipping instructions with a barcode) go to `logBucket`.
import * as pulumi from "@pulumi/pulumi";
import { ImportExportJob } from "pulumi-importexport";

const config = new pulumi.Config();

const vault = new ImportExportJob("cold-archive", {
  jobType: "Import",
  manifest: {
    manifestVersion: "3.0",
    deviceId: "532404500021",
    eraseDevice: "yes",
    logBucket: config.require("logBucket"),
    notificationEmail: "john.doe@example.com;jane.roe@example.com",
    operations: [
      {
        destination: "glacier",
        source: "device",
        region: "us-east-1",
        vaultName: config.require("vaultName"),
        archiveComment: "monthly archive",
      },
    ],
    returnAddress: {
      name: "Jane Roe",
      street1: "123 Any Street",
      city: "Anytown",
      stateOrProvince: "WA",
      postalCode: "91011-1111",
      phoneNumber: "206-555-1111",
      country: "USA",
    },
  },
});

export const jobId = vault.jobId;
export const artifacts = vault.artifacts;
export const progress = vault.progressCode;
