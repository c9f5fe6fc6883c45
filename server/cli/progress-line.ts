/**
 * A one-line progress bar on a terminal, redrawn at most every 100 ms. Once every trial is done it says
 * that the statistics are being computed, which takes a while on a large run, so a full bar that stays
 * is never a frozen one.
 */
export class ProgressLine {
  private last = 0;
  private bar = '';
  private readonly started = Date.now();

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(done: number, total: number): void {
    const now = Date.now();
    if (now - this.last < 100 && done < total) return;
    this.last = now;
    const width = 30;
    const filled = Math.floor((done / total) * width);
    const pct = ((100 * done) / total).toFixed(1).padStart(5);
    this.bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${pct}%  ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}  ${((now - this.started) / 1000).toFixed(1)} s`;
    // \x1b[K clears what a longer line left
    this.stream.write(`\r${this.bar}${done >= total ? '  computing statistics…' : ''}\x1b[K`);
  }

  done(): void {
    this.stream.write(`\r${this.bar}\x1b[K\n`);
  }
}
