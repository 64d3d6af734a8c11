/** What a command sees of the outside world, so commands can be run in-process by tests. */
export interface CliIO {
  /** Bytes for the PDF and xlsx written to standard output. */
  stdout: (s: string | Uint8Array) => void;
  stderr: (s: string) => void;
  /** Whether standard error is a terminal (progress is shown only there). */
  isTTY: boolean;
  /** Whether standard output is a terminal: binary documents are not written to one. */
  stdoutIsTTY?: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  name: string;
  /** Japanese usage with examples, shown by `hoshin COMMAND --help`. */
  help: string;
  /** Exit status: 0 ok, 1 refused or failed, 2 bad usage. */
  run(args: string[], io: CliIO): Promise<number>;
}

/** Thrown by argument parsing; main prints it with the command's usage and exits 2. */
export class UsageError extends Error {}
