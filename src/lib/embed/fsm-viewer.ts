/**
 * Entry of the `<fsm-viewer>` bundle (dist/embed/fsm-viewer.js): importing it defines the
 * element. `import '…/fsm-viewer.js'` or `<script type="module" src="…/fsm-viewer.js">`.
 */
import { defineFsmViewer, FsmViewerElement } from './viewer/element';

defineFsmViewer();

export { FsmViewerElement, defineFsmViewer };
export type { ViewerInstance, StateChangeDetail } from './viewer/element';
export { createInterpreter } from '../engine';
export { parseWorkflow } from '../model/parse';
