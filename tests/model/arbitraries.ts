import fc from 'fast-check';

// Keys that parse rejects on purpose (prototype tampering) are not part of a valid workflow.
const DANGEROUS = /"(__proto__|constructor|prototype)":/;
const json = (maxDepth: number) => fc.jsonValue({ maxDepth }).filter((v) => !DANGEROUS.test(JSON.stringify(v)));
const key = (maxLength: number) => fc.string({ maxLength }).filter((k) => !DANGEROUS.test(`"${k}":`));

const stateKey = fc.constantFrom('idle', 'busy', 'done', 'a', 'b', 'c', 'Retry', 'wait-2');
const eventKey = fc.constantFrom('GO', 'STOP', 'RETRY', 'x.y', 'done.invoke');
const effect = fc.record(
	{
		type: fc.constantFrom('assign', 'log', 'call_llm', 'http'),
		id: fc.string({ maxLength: 5 }),
		message: fc.string({ maxLength: 10 }),
		z: json(1)
	},
	{ requiredKeys: ['type'] }
);

interface RawState {
	[k: string]: unknown;
}

/**
 * Random valid workflows: a tree of states whose transitions only target siblings (or
 * nothing), with effects, unknown fields and layout, keys in random order.
 */
export const validWorkflow = fc
	.letrec((tie) => ({
		states: fc.dictionary(stateKey, tie('state') as fc.Arbitrary<RawState>, { minKeys: 1, maxKeys: 4 }),
		state: fc.record(
			{
				description: fc.string({ maxLength: 8 }),
				tags: fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }),
				entry: fc.array(effect, { maxLength: 2 }),
				exit: fc.array(effect, { maxLength: 1 }),
				invoke: effect,
				meta: fc.dictionary(key(4), json(1)),
				extra: json(1),
				children: fc.option(tie('states') as fc.Arbitrary<Record<string, RawState>>, { depthSize: 'small', nil: undefined })
			},
			{ requiredKeys: [] }
		)
	}))
	.states.chain((top) =>
		fc
			.record({
				events: fc.array(fc.tuple(eventKey, fc.nat(), fc.boolean(), fc.option(fc.string({ maxLength: 6 }), { nil: undefined })), { maxLength: 6 }),
				context: fc.option(fc.dictionary(key(5), json(2)), { nil: undefined }),
				description: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
				layout: fc.boolean(),
				extra: fc.option(json(1), { nil: undefined })
			})
			.map(({ events, context, description, layout, extra }) => {
				const paths: string[] = [];
				const build = (states: Record<string, RawState>, prefix: string): Record<string, unknown> => {
					const keys = Object.keys(states);
					const out: Record<string, unknown> = {};
					for (const k of keys) {
						const { children, ...rest } = states[k];
						const node: Record<string, unknown> = { ...rest };
						const path = prefix ? `${prefix}.${k}` : k;
						paths.push(path);
						if (children && Object.keys(children as object).length) {
							node.states = build(children as Record<string, RawState>, path);
							node.initial = Object.keys(node.states as object)[0];
						}
						const on: Record<string, unknown> = {};
						events.forEach(([ev, n, asList, guard], i) => {
							if ((n + i) % 3 !== 0) return;
							const target = keys[n % keys.length];
							on[ev] = asList ? [{ target, ...(guard !== undefined ? { guard: 'context.n > 1' } : {}) }, {}] : target;
						});
						if (Object.keys(on).length) node.on = on;
						out[k] = node;
					}
					return out;
				};
				const states = build(top, '');
				const w: Record<string, unknown> = {
					layout: layout ? Object.fromEntries(paths.map((p, i) => [p, { y: i * 10, x: i }])) : undefined,
					states,
					initial: Object.keys(states)[0],
					name: 'Random',
					id: 'random',
					version: 1,
					format: 'fsm-studio/workflow'
				};
				if (context) w.context = context;
				if (description !== undefined) w.description = description;
				if (extra !== undefined) w.extra = extra;
				if (!layout) delete w.layout;
				return w;
			})
	);
