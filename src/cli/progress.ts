/** A one-line progress bar on a terminal (redrawn with \r); nothing when output is not a terminal. */
export class ProgressBar {
  private lastDraw = 0;

  constructor(
    private readonly total: number,
    private readonly write: (s: string) => void,
    private readonly enabled: boolean,
    private readonly width = 30,
  ) {}

  update(done: number, label = ''): void {
    if (!this.enabled) return;
    const now = Date.now();
    // Redrawing on every file would cost more than the work for thousands of small files.
    if (done < this.total && now - this.lastDraw < 50) return;
    this.lastDraw = now;
    const filled = Math.round((done / this.total) * this.width);
    const bar = '█'.repeat(filled) + '░'.repeat(this.width - filled);
    this.write(`\r\x1b[2K${bar} ${done}/${this.total} ${label}`.slice(0, 200));
  }

  /** Clears the bar so diagnostics print on a clean line. */
  clear(): void {
    if (this.enabled) this.write('\r\x1b[2K');
  }
}
