/** Wraps a command body so its exit code reaches parseAndRun() (parseArguments.ts), which hands one to every row of the command table as it registers it. */
export type CommandRunner = <A>(body: (argv: A) => Promise<number>) => (argv: A) => Promise<void>;
