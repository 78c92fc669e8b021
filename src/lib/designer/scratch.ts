/**
 * The workflow the designer opens where the browser refuses storage: one initial state, kept
 * in memory for this visit only (see `DesignerSession`).
 */
import type * as Y from 'yjs';
import type { Workflow } from '../model/types';
import { writeWorkflow } from '../collab/binding';
import { blankWorkflow } from '../collab/workspace';

export function fillScratch(doc: Y.Doc, id: string): void {
	writeWorkflow(doc, { ...blankWorkflow(id, 'Scratch workflow (not saved)'), initial: 'start', states: { start: {} } } as Workflow);
}
