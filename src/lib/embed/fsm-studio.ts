/**
 * Entry of the `<fsm-studio>` bundle (dist/embed/fsm-studio.js): importing it defines the
 * element. Heavy parts of the designer (ELK, code editors, AI providers) load on first use,
 * as chunks beside it.
 */
import { defineFsmStudio, FsmStudioElement, PANELS, type PanelName } from './studio/element.svelte';

defineFsmStudio();

export { FsmStudioElement, defineFsmStudio, PANELS };
export type { PanelName };
