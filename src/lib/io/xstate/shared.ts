/** What the XState exporter and importers share. */
import { effectKinds } from '../../effects/kinds';

/** Effect kinds FSM Studio runs itself; any other action or actor name needs a handler. */
export const KNOWN_KINDS = new Set(Object.keys(effectKinds));

export type Json = Record<string, unknown>;
/** Key under `meta` where FSM Studio's extras ride. */
export const NS = 'fsm-studio';

/** In the meta's `keys`, FSM Studio's order of keys when two of them share an XState key (with a space: no event key has one). */
export const ORDER = ' order';
