/**
 * The progress display on stderr: one line per step, redrawn in place on a
 * terminal, printed every few seconds otherwise (CI logs stay short).
 */
export class Progress {
  private readonly started = Date.now();
  private lastPrinted = 0;
  private current = '';

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {}

  /** Starts a new step: finishes the current line and prints the step's name. */
  step(text: string): void {
    this.finishLine();
    this.current = `[${this.elapsed()}] ${text}`;
    this.draw(this.current, true);
  }

  /** Updates the current step with how far it is ("12,000/100,000 events"). */
  update(detail: string): void {
    const now = Date.now();
    if (!this.out.isTTY && now - this.lastPrinted < 5_000) return;
    this.draw(`${this.current}: ${detail}`, !this.out.isTTY);
  }

  /** Prints a result or a message on its own line under the current step. */
  note(text: string): void {
    this.finishLine();
    this.out.write(`    ${text}\n`);
    this.current = '';
  }

  private draw(text: string, force: boolean): void {
    this.lastPrinted = Date.now();
    if (this.out.isTTY) this.out.write(`\r\x1b[2K${text}`);
    else if (force) this.out.write(`${text}\n`);
  }

  private finishLine(): void {
    if (this.out.isTTY && this.current !== '') this.out.write('\n');
  }

  private elapsed(): string {
    const seconds = Math.round((Date.now() - this.started) / 1000);
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  }
}
