/**
 * Splits /proc/PID/cmdline (arguments each ended by NUL) into its arguments.
 * Empty for kernel threads and zombies. A process may rewrite its own
 * cmdline into one space-separated string (setproctitle, node's process.title);
 * that comes back as one argument, and the NULs it pads the old space with
 * are not arguments.
 */
export function parseCmdline(text: string): string[] {
  const args = text.split('\0');
  while (args.length > 0 && args[args.length - 1] === '') args.pop();
  return args;
}
