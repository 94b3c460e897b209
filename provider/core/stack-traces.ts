/**
 * Registering a resource without the stack traces @pulumi/pulumi takes for its own bookkeeping.
 *
 * While a resource registers, the SDK tags each promise it makes with `new Error().stack` (runtime/debuggable.js;
 * read only by its report of promises left unresolved at exit): four promises per registered property, more for the
 * registration itself. In a program the Node language host runs, `.stack` goes through ts-node's source-map-support,
 * which maps every frame: tens of microseconds each, so a resource's cost grew with its number of properties and was
 * most of what an ImportExportJob cost the program beyond a one-property resource. The resource's source position
 * does not depend on this: the SDK takes it with its own, unlimited, stack-trace limit (`Resource.callsites`).
 *
 * What is given up, only for what runs inside the constructor: the leak report's stacks for these promises (their
 * description still names them), and the stack of an Error made there — one the SDK throws (a missing name, say) or
 * one from a `transformations` callback the SDK runs synchronously keeps its message but shows no frames.
 */

/**
 * Stops V8 capturing stack frames for Errors made from now on; returns what restores the previous limit. A resource
 * class calls it around its `super(...)` (the one place the SDK's synchronous registration runs), in `try`/`finally`.
 */
export function suspendStackTraces(): () => void {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return () => {
    Error.stackTraceLimit = limit;
  };
}
