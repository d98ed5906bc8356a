// The progress line. On a terminal it rewrites one line in place (\r); in CI
// logs, where \r would pile everything onto one huge line, it prints plain
// lines, at most one per tenth of each phase.

export class Progress {
  private readonly tty: boolean;
  private phase = '';
  private lastDecile = -1;
  private width = 0;
  private ttyPhase = '';
  private phaseStart = 0;

  constructor(private readonly stream: NodeJS.WriteStream = process.stdout) {
    this.tty = Boolean(stream.isTTY);
  }

  /** Reports `done` of `total` in `phase`; `detail` is shown on terminals only. */
  update(phase: string, done: number, total: number, detail = ''): void {
    if (phase !== this.ttyPhase) {
      this.ttyPhase = phase;
      this.phaseStart = Date.now();
    }
    const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
    const elapsed = ((Date.now() - this.phaseStart) / 1000).toFixed(0);
    const text = `[bench] ${phase}: ${done}/${total} (${percent}%, ${elapsed} s)${detail ? `  ${detail}` : ''}`;
    if (this.tty) {
      const columns = this.stream.columns || 100;
      const line = text.length > columns - 1 ? text.slice(0, columns - 1) : text;
      this.stream.write(`\r${line}${' '.repeat(Math.max(0, this.width - line.length))}`);
      this.width = line.length;
      return;
    }
    if (phase !== this.phase) {
      this.phase = phase;
      this.lastDecile = -1;
    }
    const decile = Math.floor(percent / 10);
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      this.stream.write(`${text}\n`);
    }
  }

  /** Prints a message on a line of its own (clearing the progress line first on a terminal). */
  log(message: string): void {
    this.clear();
    this.stream.write(`${message}\n`);
  }

  /** Removes the progress line from a terminal. */
  clear(): void {
    if (this.tty && this.width > 0) {
      this.stream.write(`\r${' '.repeat(this.width)}\r`);
      this.width = 0;
    }
  }
}
