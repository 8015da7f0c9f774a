/**
 * A daily token budget per probe target: the runner asks before each run and reports after it.
 * The day is the UTC calendar day; at midnight the count starts again. A run is allowed when the
 * tokens spent so far plus the run's worst case (prompt estimate + max_tokens) fit the budget, so
 * the budget is never exceeded by more than one estimate error. A budget of 0 disables probing.
 */

export class DailyTokenBudget {
  private day = '';
  private spent = 0;
  private readonly limit: number;
  private readonly wallClock: () => number;

  constructor(limit: number, wallClock: () => number = Date.now) {
    this.limit = limit;
    this.wallClock = wallClock;
  }

  /** Tokens counted today. */
  spentToday(): number {
    this.roll();
    return this.spent;
  }

  /** Whether a run costing at most `worstCase` tokens fits what is left today. */
  allows(worstCase: number): boolean {
    this.roll();
    return this.spent + worstCase <= this.limit;
  }

  /** Counts a finished run. Unknown counts (null) are charged at `fallback`: never free. */
  record(input: number | null, output: number | null, fallback: { input: number; output: number }): void {
    this.roll();
    this.spent += (input ?? fallback.input) + (output ?? fallback.output);
  }

  /** Ms until the budget resets (next UTC midnight). */
  msUntilReset(): number {
    const now = this.wallClock();
    const d = new Date(now);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - now;
  }

  private roll(): void {
    const day = new Date(this.wallClock()).toISOString().slice(0, 10);
    if (day !== this.day) {
      this.day = day;
      this.spent = 0;
    }
  }
}
