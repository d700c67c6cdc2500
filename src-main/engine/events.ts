import type { EventListener } from '../../src-shared/contract';

/** How engine stages report: the same signature the doors' subscribers receive. */
export type EmitEvent = EventListener;
