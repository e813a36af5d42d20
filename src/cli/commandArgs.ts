import type { InferredOptionType, Options, PositionalOptions } from 'yargs';

/**
 * A command's arguments, derived from its tables of options and positionals
 * (yargs' own records): the body's type is what the table says, never spelled
 * again. Types only: nothing here loads yargs.
 */

export type OptionTable = Record<string, Options>;
export type PositionalTable = Record<string, PositionalOptions>;

/** `proc-root` → `procRoot`, as yargs (and yargs-parser) name a dashed option's twin. */
type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

/** Each name camelCased, with the value type yargs infers for it. */
type Inferred<T extends Record<string, Options | PositionalOptions>> = { [K in keyof T & string as CamelCase<K>]: InferredOptionType<T[K]> };

/** What may be undefined becomes optional: `pid?: number[]`, as a caller writes it. */
type Optional<T> = { [K in keyof T as undefined extends T[K] ? K : never]?: T[K] } & { [K in keyof T as undefined extends T[K] ? never : K]: T[K] };

type Flat<T> = { [K in keyof T]: T[K] };

/** The arguments a command's body takes: its positionals and options, as yargs hands them over (camelCase keys). */
export type ArgsOf<O extends OptionTable, P extends PositionalTable = Record<never, never>> = Flat<Optional<Inferred<O & P>>>;
