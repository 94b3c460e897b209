/** Vitest global setup: nothing shared yet; suites start their own emulator and Pulumi workspaces. */
export default function setup(): void {}
