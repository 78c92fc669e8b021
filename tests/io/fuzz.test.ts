/**
 * Fuzz of every importer and the link decoder: truncated, mutated, hostile and huge inputs.
 * Each must end in a valid workflow or a clear error (non-empty, with a message); no
 * exception may escape. About 12,000 cases in all.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseWorkflow } from '../../src/lib/model';
import { importJson, exportJson } from '../../src/lib/io/json';
import { importXState, exportXStateJson, importXStateCode, exportXStateCode } from '../../src/lib/io/xstate';
import { importMermaid, exportMermaid } from '../../src/lib/io/mermaid';
import { importScxml, exportScxml } from '../../src/lib/io/scxml';
import { importFile } from '../../src/lib/io/drop';
import { decodeShareLink, encodeShareLink } from '../../src/lib/io/share-link';
import type { ImportResult } from '../../src/lib/io/types';
import { arbWorkflow } from './helpers';

function settled(r: ImportResult | { ok: boolean; errors?: { message: string }[]; workflow?: unknown }) {
	if (r.ok) {
		expect(parseWorkflow((r as { workflow: unknown }).workflow).ok).toBe(true);
	} else {
		expect(r.errors!.length).toBeGreaterThan(0);
		for (const e of r.errors!) {
			expect(typeof e.message).toBe('string');
			expect(e.message.length).toBeGreaterThan(10);
		}
	}
}

/** A valid export, then damaged: truncated, characters replaced, inserted or deleted. */
const damaged = (exporter: (w: never) => { text: string }) =>
	fc
		.tuple(
			arbWorkflow(),
			fc.array(fc.tuple(fc.constantFrom('cut', 'replace', 'insert', 'delete', 'swap'), fc.nat(), fc.string({ minLength: 1, maxLength: 6, unit: 'binary' })), { minLength: 1, maxLength: 4 })
		)
		.map(([w, edits]) => {
			let t = exporter(w as never).text;
			for (const [op, at, s] of edits) {
				const i = t.length ? at % t.length : 0;
				if (op === 'cut') t = t.slice(0, i);
				else if (op === 'replace') t = t.slice(0, i) + s + t.slice(i + s.length);
				else if (op === 'insert') t = t.slice(0, i) + s + t.slice(i);
				else if (op === 'delete') t = t.slice(0, i) + t.slice(i + s.length);
				else t = t.slice(i) + t.slice(0, i);
			}
			return t;
		});

const HOSTILE_JSON = [
	'{"format":"fsm-studio/workflow","version":1,"id":"x","name":"x","initial":"a","states":' + '{"a":{"states":'.repeat(3000) + '{}' + '}}'.repeat(3000) + '}',
	'[' .repeat(100000),
	'{"__proto__":{"polluted":true},"states":{"a":{}},"initial":"a"}',
	'{"constructor":{"prototype":{"x":1}},"states":{"__proto__":{}}}',
	'{"format":"fsm-studio/workflow","version":99,"id":"x","name":"x","initial":"a","states":{"a":{}}}',
	'{"states":{"a":{"on":{"*":"a"},"invoke":[{"src":"x"},{"src":"y"}],"after":{"slow":"a"}}},"initial":"a"}',
	'{"states":{"a":{"entry":[null,1,"x",{"type":""}],"on":{"E":[null,{"target":5},{"cond":"isOk"}]}}}}',
	'null',
	'"just a string"',
	'{"version":0,"transitions":[{"from":"nowhere","event":"E","to":"b"}],"states":{}}',
	'\u0000\u0001\u0002',
	'{"a":' + '"x"'.repeat(10) + '}'
];
const HOSTILE_XML = [
	'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><scxml>&lol2;</scxml>',
	'<scxml xmlns="http://www.w3.org/2005/07/scxml">' + '<state>'.repeat(5000) + '</state>'.repeat(5000) + '</scxml>',
	'<scxml><state id="a"><transition target="&xxe;"/></state></scxml>',
	'<scxml><state id="a"/><state id="a"/></scxml>',
	'<scxml initial="nope"><state id="a"/></scxml>',
	'<scxml><state id="a"><transition target="b c d"/></state></scxml>',
	'<scxml><datamodel><data id="__proto__" expr="{}"/></datamodel><state id="a"/></scxml>',
	'<scxml><state id="a"><onentry><send event="t" delay="forever"/><script>while(1);</script></onentry></state></scxml>',
	'<x:scxml xmlns:x="http://www.w3.org/2005/07/scxml"><x:state id="a"/></x:scxml>',
	'<scxml><p:state id="a"/></scxml>',
	'<scxml a="1" a="2"/>',
	'<scxml><![CDATA[',
	'<scxml>&#0;</scxml>',
	'<scxml>&#x110000;</scxml>'
];
const HOSTILE_MERMAID = [
	'stateDiagram-v2\n' + 'state a {\n'.repeat(500) + '}\n'.repeat(500),
	'stateDiagram-v2\n' + '}\n',
	'stateDiagram-v2\n[*] --> [*]\n',
	'stateDiagram-v2\n[*] --> a\n[*] --> b\n',
	'stateDiagram-v2\nstate "__proto__" as p\n[*] --> p\n',
	'stateDiagram-v2\nconstructor --> prototype : toString\n',
	'graph TD\nA-->B',
	'stateDiagram-v2\nnote right of a\nnever closed',
	'---\ntitle: x\nstateDiagram-v2',
	'stateDiagram-v2\n' + 'a --> b : ' + 'x'.repeat(100000) + '\n',
	'```mermaid\nstateDiagram-v2\n[*] --> a\n```'
];

// CPU-bound property runs: a loaded machine can take several times the default timeout.
describe('fuzz: importers never throw', { timeout: 120_000 }, () => {
	it('JSON (2,500 cases: damaged exports, random JSON, random text, hostile documents)', () => {
		fc.assert(fc.property(damaged(exportJson), (t) => settled(importJson(t))), { numRuns: 1200 });
		fc.assert(fc.property(fc.json({ maxDepth: 6 }), (t) => settled(importJson(t))), { numRuns: 600 });
		fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (t) => settled(importJson(t))), { numRuns: 688 });
		for (const t of HOSTILE_JSON) settled(importJson(t));
	});

	it('XState (2,000 cases: damaged configs, random values)', () => {
		fc.assert(fc.property(damaged(exportXStateJson), (t) => settled(importXState(t))), { numRuns: 1200 });
		fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => settled(importXState(v))), { numRuns: 400 });
		fc.assert(
			fc.property(
				fc.letrec((tie) => ({ state: fc.record({ on: fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 2 }))), states: fc.option(fc.dictionary(fc.string({ maxLength: 3 }), tie('state'), { maxKeys: 3 }), { depthSize: 'small', nil: undefined }), type: fc.constantFrom('parallel', 'final', 'history', 'compound', 'weird'), entry: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }) })).state,
				(s) => settled(importXState(s))
			),
			{ numRuns: 400 }
		);
	});

	it('Mermaid (2,500 cases: damaged diagrams, random lines, hostile diagrams)', () => {
		fc.assert(fc.property(damaged(exportMermaid), (t) => settled(importMermaid(t))), { numRuns: 1500 });
		const line = fc.oneof(
			fc.constantFrom('[*] --> a', 'a --> b : E', 'state a {', '}', '--', 'a --> [*]', 'state "x y" as b', 'note right of a : hi', 'a : desc', 'direction LR', 'classDef x fill:red', 'b --> a : after(100) [context.n > 1]', 'state c <<choice>>'),
			fc.string({ maxLength: 20 })
		);
		fc.assert(fc.property(fc.array(line, { maxLength: 30 }), (ls) => settled(importMermaid(['stateDiagram-v2', ...ls].join('\n')))), { numRuns: 989 });
		for (const t of HOSTILE_MERMAID) settled(importMermaid(t));
	});

	it('SCXML (2,500 cases: damaged documents, random XML-ish text, hostile documents)', () => {
		fc.assert(fc.property(damaged(exportScxml), (t) => settled(importScxml(t))), { numRuns: 1500 });
		const el = fc.constantFrom('<state id="a">', '</state>', '<parallel id="p">', '</parallel>', '<final id="f"/>', '<history id="h" type="deep"><transition target="a"/></history>', '<transition event="E" target="a"/>', '<transition cond="x" target="f"/>', '<onentry><raise event="E"/></onentry>', '<onexit><log expr="1"/></onexit>', '<onentry><send event="T" delay="1s"/></onentry>', '<transition event="T" target="b"/>', '<datamodel><data id="n" expr="0"/></datamodel>', '<invoke type="http"/>', '&amp;', '<!-- c -->');
		fc.assert(fc.property(fc.array(fc.oneof(el, fc.string({ maxLength: 8 })), { maxLength: 25 }), (parts) => settled(importScxml(`<scxml xmlns="http://www.w3.org/2005/07/scxml">${parts.join('')}</scxml>`))), { numRuns: 986 });
		for (const t of HOSTILE_XML) settled(importScxml(t));
	});

	it('XState code (1,000 cases: damaged createMachine code, random code-like text)', async () => {
		await fc.assert(fc.asyncProperty(damaged(exportXStateCode), async (t) => settled(await importXStateCode(t))), { numRuns: 700 });
		const tok = fc.constantFrom('createMachine(', '{', '}', '[', ']', '(', ')', ',', ':', "'a'", '"b"', '`c`', '`${x}`', 'states', 'on', 'x => x', '...rest', '// c\n', '/* c */', '1e3', '-0x1F', 'true', 'undefined', 'fn()', '[k]', 'm() {}', '\\u{1F600}', 'as const', '<Ctx>', 'satisfies X', '/}/g');
		await fc.assert(fc.asyncProperty(fc.array(tok, { maxLength: 40 }), async (ts) => settled(await importXStateCode(ts.join(' ')))), { numRuns: 300 });
		settled(await importXStateCode('createMachine(' + '{a:'.repeat(5000)));
		settled(await importXStateCode('createMachine(' + '['.repeat(100000)));
		settled(await importXStateCode('createMachine(' + '{a:'.repeat(150) + '1' + '}'.repeat(150) + ')'));
		settled(await importXStateCode('createMachine(' + '{a:'.repeat(300) + '1' + '}'.repeat(300) + ')'));
	});

	it('importFile with any name and text (500 cases) and huge inputs', async () => {
		await fc.assert(fc.asyncProperty(fc.constantFrom('a.json', 'b.mmd', 'c.scxml', 'd.txt', '', 'e.fsm.json', 'f.md', 'g.xml', 'h.ts'), fc.string({ maxLength: 300 }), async (n, t) => settled(await importFile(n, t))), { numRuns: 500 });
		const huge = 'x'.repeat(6_000_000);
		for (const name of ['huge.json', 'huge.mmd', 'huge.scxml', 'huge', 'huge.ts']) {
			const r = await importFile(name, huge);
			expect(r.ok).toBe(false);
			if (!r.ok) expect(r.errors[0].message).toMatch(/^This file is 6\.0 MB; FSM Studio opens workflows up to 5 MB\./);
		}
	});
});

describe('fuzz: the link decoder never throws', { timeout: 120_000 }, () => {
	it('damaged and hostile links (1,000 cases)', async () => {
		const w = fc.sample(arbWorkflow(), { numRuns: 1, seed: 3 })[0];
		const plain = await encodeShareLink(w);
		const keyed = await encodeShareLink(w, { randomKey: true });
		if (!plain.ok || !keyed.ok) throw new Error('could not make links');
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom(plain.url, keyed.url, `/open#p1.${'A'.repeat(80)}`),
				fc.array(fc.tuple(fc.constantFrom('cut', 'replace', 'insert'), fc.nat(), fc.string({ minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 3 }),
				async (url, edits) => {
					let t = url;
					for (const [op, at, s] of edits) {
						const i = at % t.length;
						t = op === 'cut' ? t.slice(0, i) : op === 'replace' ? t.slice(0, i) + s + t.slice(i + s.length) : t.slice(0, i) + s + t.slice(i);
					}
					settled(await decodeShareLink(t));
				}
			),
			{ numRuns: 900 }
		);
		await fc.assert(fc.asyncProperty(fc.string({ maxLength: 200 }), async (t) => settled(await decodeShareLink(t))), { numRuns: 90 });
		// A deflate bomb: a few kB that would unpack to 100 MB.
		const { deflateSync } = await import('fflate');
		const { toBase64Url } = await import('../../src/lib/io/share-link');
		const bomb = toBase64Url(deflateSync(new Uint8Array(100_000_000), { level: 9 }));
		const r = await decodeShareLink(`#z1.${bomb}`);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors[0].message).toMatch(/larger than/);
		for (const t of ['', '#', '#z1.', '#k1.AAAA', '#z1.!!!!', '#z1.' + 'A'.repeat(5_000_000), '#p1.AAAA.BBBB', '#z1.eJwDAAAAAAE', 42 as unknown as string]) settled(await decodeShareLink(t));
	}, 120_000);
});
