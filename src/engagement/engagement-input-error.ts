/** Input the engagement domain refuses, with one line per thing to fix (shown to whoever configured it). */
export class EngagementInputError extends Error {
  constructor(readonly problems: string[]) {
    super(`Engagement input needs fixing: ${problems.join(' ')}`);
    this.name = 'EngagementInputError';
  }
}

export function refuseProblems(problems: string[]): void {
  if (problems.length > 0) throw new EngagementInputError(problems);
}
