/**
 * The standard retry mode's numbers, as @smithy/util-retry exports them (the names are the library's).
 *
 * Written out here rather than imported: `require("@smithy/util-retry")` loads @smithy/core's retry, client,
 * transport, schema, protocols, serde, endpoints and config submodules (8 files, ~2.3 MiB resident) for eight
 * numbers, in every process that creates a client, a CLI command included (docs/cli.md#start-up-time-and-memory).
 * test/sdk/retry-constants.test.ts compares each value with the library's, so they cannot drift apart unnoticed.
 */

/** Base delay of the exponential backoff for ordinary transient errors, in milliseconds. */
export const DEFAULT_RETRY_DELAY_BASE = 100;
/** Base delay of the exponential backoff for throttling errors, in milliseconds. */
export const THROTTLING_RETRY_DELAY_BASE = 500;
/** Upper bound of one backoff, in milliseconds. */
export const MAXIMUM_RETRY_DELAY = 20_000;
/** Attempts of one call, the first included. */
export const DEFAULT_MAX_ATTEMPTS = 3;
/** The retry quota a client starts with. */
export const INITIAL_RETRY_TOKENS = 500;
/** Quota one retry after a timeout takes. */
export const TIMEOUT_RETRY_COST = 10;
/** Quota one retry after any other retryable error takes. */
export const RETRY_COST = 5;
/** Quota a call that succeeded without a retry gives back. */
export const NO_RETRY_INCREMENT = 1;
