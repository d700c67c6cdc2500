// Progress through a fixed list of stages: a step list, one bar for the whole, and the current
// stage's own message and count.
import type { ApiEvents } from '../../../src-shared/contract';
import type { StageName } from '../../../src-shared/domain';
import { byteProgressText } from '../../../src-shared/progress-text';
import { formatLoss, STAGE_LABELS } from '../format';
import type { ProgressByStage as Progress } from '../state/useLibrary';

interface StageProgressProps {
  stages: readonly StageName[];
  progress: Progress;
  epoch?: ApiEvents['epoch'] | null;
  testId: string;
  label: string;
  /** Names what the progress is of ("Run 4, k = 12"). */
  title?: string;
}

function stageFraction(progress: Progress, stage: StageName): number {
  const event = progress.stages[stage];
  if (!event || event.total <= 0) return 0;
  return Math.min(1, event.done / event.total);
}

export function StageProgress({ stages, progress, epoch, testId, label, title }: StageProgressProps) {
  const currentIndex = progress.current ? stages.indexOf(progress.current) : -1;
  const current = progress.current ? progress.stages[progress.current] : undefined;
  const overall = currentIndex < 0 ? 0 : (currentIndex + stageFraction(progress, stages[currentIndex])) / stages.length;
  const percent = Math.round(overall * 100);
  // adding books: "312 MB of 3.9 GB · 41 MB/s · about 1 min left"
  const bytes = current ? byteProgressText(current) : null;

  return (
    <div className="stage-progress" data-testid={testId} aria-live="polite">
      {title && (
        <p className="progress-title" data-testid={`${testId}-title`}>
          {title}
        </p>
      )}
      <ol className="steps">
        {stages.map((stage, index) => {
          const state = index < currentIndex ? 'done' : index === currentIndex ? 'current' : 'pending';
          return (
            <li key={stage} className={`step ${state}`} data-stage={stage}>
              <span className="step-dot" aria-hidden="true" />
              <span className="step-label">{STAGE_LABELS[stage]}</span>
            </li>
          );
        })}
      </ol>
      <div className="bar" role="progressbar" aria-label={title ? `${label}: ${title}` : label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
        <div className={`bar-fill${currentIndex < 0 ? ' waiting' : ''}`} style={{ width: currentIndex < 0 ? '100%' : `${Math.max(2, percent)}%` }} />
      </div>
      <p className="progress-line">
        <span>{current?.message || 'Starting…'}</span>
        {current && current.total > 0 && (
          <span className="muted">
            {current.done.toLocaleString('en-US')} / {current.total.toLocaleString('en-US')}
          </span>
        )}
      </p>
      {bytes && (
        <p className="progress-line muted" data-testid={`${testId}-bytes`}>
          <span>{bytes}</span>
        </p>
      )}
      {epoch && (
        <p className="progress-line muted" data-testid="epoch-loss">
          <span>
            Autoencoder epoch {epoch.epoch} of {epoch.epochs}
          </span>
          <span>loss {formatLoss(epoch.loss)}</span>
        </p>
      )}
    </div>
  );
}
