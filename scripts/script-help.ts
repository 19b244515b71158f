// `--help` for the benchmark and evaluation scripts: checked before their own argument parsing, which refuses unknown options.

/** Prints `help` and ends the process when the command line asks for it. */
export function exitWithHelpIfAsked(help: string): void {
  if (process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) {
    console.log(help.trim());
    process.exit(0);
  }
}
