// A progress bar by stage on stderr: redrawn in place on a terminal, one line per stage change
// otherwise (logs, CI), so piped output stays readable.
import type { ProgressEvent } from '../../src-shared/contract';
import { byteProgressText } from '../../src-shared/progress-text';
import { forTerminal } from './output';

const WIDTH = 28;

export function formatBar(event: ProgressEvent): string {
  const fraction = event.total > 0 ? Math.min(1, event.done / event.total) : 0;
  const filled = Math.round(fraction * WIDTH);
  const bar = '#'.repeat(filled) + '-'.repeat(WIDTH - filled);
  const percent = event.total > 0 ? `${String(Math.round(fraction * 100)).padStart(3)}%` : '    ';
  // adding books: "312 MB of 3.9 GB · 41 MB/s · about 1 min left" before the file's name
  const bytes = byteProgressText(event);
  // messages name files and books: nothing in them may move the cursor or clear the screen
  const message = forTerminal(event.message).replace(/[\r\n\t]/g, ' ');
  return `${event.stage.padEnd(8)} [${bar}] ${percent} ${bytes ? `${bytes}  ${message}` : message}`;
}

export class ProgressBar {
  private lastStage = '';
  private lastDraw = 0;

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {}

  update(event: ProgressEvent): void {
    const line = formatBar(event);
    if (this.out.isTTY) {
      const now = Date.now();
      const stageChanged = event.stage !== this.lastStage;
      if (!stageChanged && now - this.lastDraw < 80 && event.done !== event.total) return;
      if (stageChanged && this.lastStage) this.out.write('\n');
      this.lastDraw = now;
      this.lastStage = event.stage;
      const columns = this.out.columns ?? 100;
      this.out.write(`\r${line.slice(0, columns - 1).padEnd(columns - 1)}`);
      return;
    }
    if (event.stage !== this.lastStage || (event.total > 0 && event.done === event.total)) {
      this.lastStage = event.stage;
      this.out.write(line + '\n');
    }
  }

  /** Ends the in-place line so the next message starts on its own line. */
  done(): void {
    if (this.out.isTTY && this.lastStage) this.out.write('\n');
    this.lastStage = '';
  }
}
