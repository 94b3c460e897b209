// IoT rollout: push a firmware update to every thing in a thing group, a few devices a minute, and stop the rollout
// if too many devices fail.
//
// What `pulumi preview` shows for each edit is in README.md: rollout speed, abort criteria, timeout, description
// and tags change the running job in place (UpdateJob / TagResource); a new firmware version or another thing
// group is a new job (the old one is cancelled, then deleted), and the reason is printed.
import * as pulumi from "@pulumi/pulumi";
import { IotJob } from "pulumi-importexport/iot";

const config = new pulumi.Config();
const version = config.require("firmwareVersion");

const firmware = new IotJob("firmware", {
  targets: [config.require("thingGroupArn")],
  document: JSON.stringify({
    operation: "firmware-update",
    version,
    url: `https://firmware.example.com/sensor/${version}.bin`,
  }),
  description: config.get("description") ?? `Sensor firmware ${version}`,
  jobExecutionsRolloutConfig: {
    maximumPerMinute: config.getNumber("maximumPerMinute") ?? 50,
    exponentialRate: { baseRatePerMinute: 5, incrementFactor: 2, rateIncreaseCriteria: { numberOfSucceededThings: 10 } },
  },
  abortConfig: {
    criteriaList: [{ failureType: "FAILED", action: "CANCEL", thresholdPercentage: config.getNumber("abortPercent") ?? 10, minNumberOfExecutedThings: 5 }],
  },
  timeoutConfig: { inProgressTimeoutInMinutes: 60 },
  tags: { team: "devices", firmware: version },
});

export const jobId = firmware.jobId;
export const jobArn = firmware.jobArn;
export const status = firmware.status;
