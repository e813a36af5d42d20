/** Exit codes users rely on. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** `diff --fail-over`: a program grew by more than the threshold. */
export const EXIT_THRESHOLD = 3;

/** Bad arguments or input: one line on stderr, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode: number = EXIT_USAGE;
}

/** A runtime failure the user can act on: one line on stderr, exit 1. */
export class RuntimeFailure extends Error {
  override name = 'RuntimeFailure';
  readonly exitCode: number = EXIT_FAILURE;
}

/**
 * The code an error carries (subclasses keep it), not instanceof: the report bundle
 * (dist/report.cjs) has its own copy of these classes.
 */
export function exitCodeFor(error: unknown): number {
  const code = (error as { exitCode?: unknown } | null)?.exitCode;
  return typeof code === 'number' ? code : EXIT_FAILURE;
}
