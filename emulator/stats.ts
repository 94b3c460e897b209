/** Request counters for admin `GET /_emulator/stats`: how many API calls arrived, per Action. */
export class RequestStats {
  private byAction = new Map<string, number>();
  private total = 0;

  /** Counts one API request. Unknown Action names share one bucket so junk cannot grow the table. */
  count(action: string, known: boolean): void {
    const key = known ? action : "(unknown)";
    this.byAction.set(key, (this.byAction.get(key) ?? 0) + 1);
    this.total++;
  }

  /** Forgets all counts. */
  reset(): void {
    this.byAction.clear();
    this.total = 0;
  }

  /** JSON form: `{ total, byAction: { CreateJob: 2, ... } }`. */
  snapshot(): { total: number; byAction: Record<string, number> } {
    return { total: this.total, byAction: Object.fromEntries(this.byAction) };
  }
}
