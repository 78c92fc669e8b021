/**
 * What must never leave the browser in a share link: API keys, secrets, run logs and
 * settings. Links are stripped on the way out and again on the way in (a crafted link
 * cannot plant credentials either).
 */
import type { Workflow } from '../model/types';
import { cloneJson, isRecord } from './util';

/** Field names whose values are credentials wherever they appear. */
const SECRET_NAME = /^(?:x-)?(?:api[-_]?key|apikey|secret|secrets|client[-_]?secret|password|passwd|passphrase|authorization|proxy-authorization|auth[-_]?token|access[-_]?token|refresh[-_]?token|id[-_]?token|bearer|credentials?|private[-_]?key|cookie|set-cookie|session[-_]?token)$/i;
/** Fields of `meta` that hold app state rather than the workflow: never shared. */
const META_PRIVATE = /^(?:settings|secrets|runs|run[-_]?logs?|logs|instances|events|history|providers|api[-_]?keys|keys|tokens|env)$/i;
/** Values that look like well-known credentials, whatever the field is called. */
const KEY_LIKE = /\b(?:sk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}|AIza[0-9A-Za-z_-]{30,}|gh[pousr]_[A-Za-z0-9]{30,}|xox[abprs]-[A-Za-z0-9-]{10,}|hf_[A-Za-z0-9]{30,}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})\b/g;

export interface Sanitized {
	workflow: Workflow;
	/** Readable paths of what was removed, e.g. `meta.settings`, `states.ask.invoke.apiKey`. */
	removed: string[];
}

/** A copy of the workflow without credentials, run logs or settings. */
export function sanitizeForSharing(workflow: Workflow): Sanitized {
	const copy = cloneJson(workflow);
	const removed: string[] = [];
	const walk = (v: unknown, path: string[], inMeta: boolean): unknown => {
		if (typeof v === 'string') {
			if (KEY_LIKE.test(v)) {
				KEY_LIKE.lastIndex = 0;
				removed.push(path.join('.'));
				return v.replace(KEY_LIKE, '[removed]');
			}
			return v;
		}
		if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, String(i)], inMeta));
		if (!isRecord(v)) return v;
		for (const k of Object.keys(v)) {
			const here = [...path, k];
			const isMeta = k === 'meta' && isRecord(v[k]);
			if (SECRET_NAME.test(k) || (inMeta && META_PRIVATE.test(k))) {
				delete v[k];
				removed.push(here.join('.'));
				continue;
			}
			const before = isMeta ? Object.keys(v[k] as object).length : 0;
			v[k] = walk(v[k], here, isMeta);
			// A meta object that held only private fields goes away entirely.
			if (isMeta && before > 0 && Object.keys(v[k] as object).length === 0) delete v[k];
		}
		return v;
	};
	walk(copy, [], false);
	return { workflow: copy, removed };
}
