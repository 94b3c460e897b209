/**
 * Bounds on a manifest's size and shape. The service's limits are not documented ([gap] in spec §5); real manifests
 * are a few KiB with three levels of nesting, so these caps are far above any real one and far below what would stall
 * a parser or overflow the stack of a writer (a 600 KiB manifest or 1,000-deep nesting).
 */

/** Largest manifest text accepted, in UTF-8 bytes (64 KiB). */
export const MAX_MANIFEST_BYTES = 64 * 1024;
/** Most entries (map keys plus list items, over the whole manifest) accepted. */
export const MAX_MANIFEST_ENTRIES = 5_000;
/** Deepest nesting accepted: the manifest's own map is level 1, a map or list inside it level 2, and so on. */
export const MAX_MANIFEST_DEPTH = 32;

/** Where a manifest's shape breaks a limit, and how. */
export interface ManifestStructureProblem {
  /** Dotted path with `[i]` for list items (`operations[0].region`); `""` for the manifest itself. */
  path: string;
  message: string;
}

function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return parent === "" ? key : `${parent}.${key}`;
}

/**
 * Checks a manifest value (as parsed, or built in code) for what no writer can handle: a list or map that contains
 * itself (`x: &a [*a]`), nesting deeper than {@link MAX_MANIFEST_DEPTH}, or more than {@link MAX_MANIFEST_ENTRIES}
 * entries. Iterative, so it cannot overflow the stack itself; shared (non-circular) aliases are fine.
 */
export function manifestStructureProblem(manifest: unknown): ManifestStructureProblem | undefined {
  if (manifest === null || typeof manifest !== "object") return undefined;
  /** The collections on the path to the current one (a cycle is a collection that is its own ancestor). */
  const ancestors = new Set<object>();
  type Frame = { value: object; path: string; depth: number; exit?: true };
  const stack: Frame[] = [{ value: manifest, path: "", depth: 1 }];
  let entries = 0;
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    if (frame.exit) {
      ancestors.delete(frame.value);
      continue;
    }
    const { value, path, depth } = frame;
    if (depth > MAX_MANIFEST_DEPTH) {
      return { path, message: `Manifest field ${path} nests deeper than ${MAX_MANIFEST_DEPTH} levels (the limit).` };
    }
    ancestors.add(value);
    stack.push({ value, path, depth, exit: true });
    const children: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (let i = children.length - 1; i >= 0; i--) {
      const [key, child] = children[i] as [string | number, unknown];
      entries++;
      if (entries > MAX_MANIFEST_ENTRIES) {
        return { path: childPath(path, key), message: `The manifest has more than ${MAX_MANIFEST_ENTRIES} entries (the limit).` };
      }
      if (child === null || typeof child !== "object") continue;
      const at = childPath(path, key);
      if (ancestors.has(child)) {
        return { path: at, message: `Manifest field ${at} contains itself (a circular alias such as x: &a [*a]).` };
      }
      stack.push({ value: child, path: at, depth: depth + 1 });
    }
  }
  return undefined;
}
