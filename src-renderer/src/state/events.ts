// Subscribes a component to the door's events for as long as it is mounted. Handlers get one
// tagged object so a `switch (event.name)` narrows the payload.
import { useEffect, useEffectEvent } from 'react';
import type { ApiEventName, ApiEvents, ShelfmapClient } from '../../../src-shared/contract';

export type ShelfmapEvent = { [E in ApiEventName]: { name: E; payload: ApiEvents[E] } }[ApiEventName];

export function useShelfmapEvents(client: ShelfmapClient, handler: (event: ShelfmapEvent) => void): void {
  const onEvent = useEffectEvent(handler);
  useEffect(
    () => client.subscribe((name, payload) => onEvent({ name, payload } as ShelfmapEvent)),
    [client],
  );
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
