/**
 * What the home page's gallery shows of each bundled template — id, name, category, summary
 * and a thumbnail — read straight from the template files, without the schema check and
 * workflow parsing of `./index` (zod, JSONata), which load when a template is opened.
 * tests/templates checks that it agrees with `templates` from `./index`.
 */
import type { Workflow } from '../model/types';
import { computePreview, type Preview } from '../collab/preview';
import customerService from './customer-service.json';
import researchPipeline from './research-pipeline.json';
import contentGeneration from './content-generation.json';
import dataAnalysis from './data-analysis.json';
import multiAgentDebate from './multi-agent-debate.json';
import documentQa from './document-qa.json';

export interface TemplateCard {
	id: string;
	name: string;
	category: string;
	summary: string;
	preview: Preview;
}

interface TemplateFile {
	id: string;
	name: string;
	category: string;
	summary: string;
	workflow: unknown;
}

/** The bundled templates' cards, in gallery order (the same order as `templates`). */
export const templateCards: TemplateCard[] = ([customerService, researchPipeline, contentGeneration, dataAnalysis, multiAgentDebate, documentQa] as TemplateFile[]).map((t) => ({
	id: t.id,
	name: t.name,
	category: t.category,
	summary: t.summary,
	preview: computePreview(t.workflow as Workflow)
}));
