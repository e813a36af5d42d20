/**
 * Splits /proc/PID/cmdline (arguments each ended by NUL) into its arguments.
 * Empty for kernel threads and zombies. A process may rewrite its own
 * cmdline into one space-separated string; that comes back as one argument.
 */
export function parseCmdline(text: string): string[] {
  if (text === '') return [];
  const args = text.split('\0');
  if (args[args.length - 1] === '') args.pop();
  return args;
}
