/** Wraps a command body so its exit code reaches parseAndRun() (parseArguments.ts), which hands one to every register*Commands. */
export type CommandRunner = <A>(body: (argv: A) => Promise<number>) => (argv: A) => Promise<void>;
