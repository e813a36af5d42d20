/** --match, for every command that finds programs by pattern: the report, watch, history, diff, serve and export. */
export const MATCH_OPTION = {
  type: 'string',
  describe: 'Only groups whose program name or command line matches REGEX (RE2 syntax: linear time; (?i) ignores case)',
} as const;
