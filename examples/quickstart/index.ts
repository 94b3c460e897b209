// Quickstart: ship one disk to AWS and import it into an S3 bucket.
//
// `pulumi up` creates the job (CreateJob) and prints where to send the device. Edit the manifest (say,
// `pulumi config set notificationEmail new@example.com`) and `pulumi preview` shows an in-place update while the
// job is still Pending, or a replacement once AWS has started copying your disk.
import * as pulumi from "@pulumi/pulumi";
import { ImportExportJob } from "pulumi-importexport";

const config = new pulumi.Config();

const photos = new ImportExportJob("photos", {
  jobType: "Import",
  manifest: {
    manifestVersion: "2.0",
    deviceId: config.get("deviceId") ?? "49382",
    eraseDevice: "yes",
    bucket: config.require("bucket"),
    prefix: "photos/2026/",
    notificationEmail: config.require("notificationEmail"),
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
  },
});

/** The job's id: write it on the device's label. */
export const jobId = photos.jobId;
/** Where to send the device. */
export const shipTo = photos.awsShippingAddress;
/** Pending until AWS starts copying the disk. */
export const progress = photos.progressCode;
/** Put this text in a file named SIGNATURE in the device's root directory (secret: `pulumi stack output --show-secrets`). */
export const signatureFile = photos.signatureFileContents;
