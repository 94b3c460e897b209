/** The directories to search, in order: `binDir` (beside `pulumi`), then each entry of `path` (default: PATH). */
export declare function yamlHostDirs(binDir: string, path?: string): string[];
/** The first `pulumi-language-yaml` in `dirs`, or undefined when none has one. */
export declare function findYamlHost(dirs: readonly string[]): string | undefined;
