/** A one-line progress bar on a terminal, redrawn at most every 100 ms. */
export class ProgressLine {
  private last = 0;
  private readonly started = Date.now();

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(done: number, total: number): void {
    const now = Date.now();
    if (now - this.last < 100 && done < total) return;
    this.last = now;
    const width = 30;
    const filled = Math.floor((done / total) * width);
    const pct = ((100 * done) / total).toFixed(1).padStart(5);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    this.stream.write(
      `\r${bar} ${pct}%  ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}  ${((now - this.started) / 1000).toFixed(1)} s`,
    );
  }

  done(): void {
    this.stream.write('\n');
  }
}
