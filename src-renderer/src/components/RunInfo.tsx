// One line on how the map on show was made: the backend that trained, then time per stage.
import { Fragment } from 'react';
import type { RunSummary } from '../../../src-shared/domain';
import { kText, plural, runInfoParts } from '../format';

export function RunInfo({ run }: { run: RunSummary }) {
  const finished = run.finishedAt ? new Date(run.finishedAt).toLocaleString() : null;
  return (
    <div className="run-info">
      <p data-testid="run-info" aria-label="How this map was made" title={run.backendDetail ? (run.backend ? `Backend: ${run.backendDetail}` : run.backendDetail) : undefined}>
        {runInfoParts(run).map((part, index) => (
          <Fragment key={part}>
            {index > 0 && ' · '}
            <span className="run-info-part">{part}</span>
          </Fragment>
        ))}
      </p>
      <p className="run-meta">
        {plural(run.bookCount, 'book')} · k = {kText(run)} · seed {run.settings.seed}
        {finished && ` · made ${finished}`}
      </p>
    </div>
  );
}
