/**
 * A Dockerfile read into stages and instructions, enough to check ours without a Docker engine:
 * comments dropped, `\` continuations joined, each FROM starting a stage.
 */

export interface DockerInstruction {
  /** Upper-cased keyword: FROM, RUN, COPY, ENV, USER, HEALTHCHECK, CMD, … */
  readonly keyword: string;
  /** Everything after the keyword, continuations joined with single spaces. */
  readonly args: string;
}

export interface DockerStage {
  readonly base: string;
  /** The `AS name`, if any. */
  readonly name: string | undefined;
  readonly instructions: readonly DockerInstruction[];
}

export function parseDockerfile(text: string): DockerStage[] {
  const logicalLines = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\s*\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);

  const stages: { base: string; name: string | undefined; instructions: DockerInstruction[] }[] = [];
  for (const line of logicalLines) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args };
    if (instruction.keyword === 'FROM') {
      const [base = '', , name] = args.split(/\s+/);
      stages.push({ base, name, instructions: [] });
    }
    // Instructions before the first FROM (global ARGs) belong to no stage; ours has none.
    stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

/** `ENV A=1 B=2` (the key=value form) as a map; the legacy `ENV A 1` form is not used here. */
export function envOf(stage: DockerStage): Record<string, string> {
  return Object.fromEntries(
    stage.instructions
      .filter((instruction) => instruction.keyword === 'ENV')
      .flatMap((instruction) => instruction.args.split(/\s+/))
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}

/** An exec-form (`["a", "b"]`) argument list, or the shell form wrapped as `sh -c` would run it. */
export function commandOf(args: string): string[] {
  return args.startsWith('[') ? (JSON.parse(args) as string[]) : ['/bin/sh', '-c', args];
}
