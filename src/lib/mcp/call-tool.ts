/** The `call_tool` effect: calls a tool of an MCP server from Settings; its result goes into context. */
import { EffectError } from '../effects/errors';
import type { EffectContext } from '../effects/types';
import { callServerTool, resolveToolServer } from './client';
import { McpError } from './connection';
import { problemText, toolErrorProblem } from './errors';
import { toolErrorText, toolResultValue } from './results';

export interface CallToolParams {
	server?: string;
	tool: string;
	/** An object, or (from a template such as "{{ results.args }}") JSON text of one. */
	arguments?: Record<string, unknown> | string;
}

function argumentsOf(a: CallToolParams['arguments']): Record<string, unknown> {
	if (a === undefined || a === null) return {};
	let v: unknown = a;
	if (typeof a === 'string') {
		try {
			v = a.trim() ? JSON.parse(a) : {};
		} catch {
			throw new EffectError('invalid_params', `The tool arguments must be an object; got the text ${JSON.stringify(a.slice(0, 80))}.`);
		}
	}
	if (!v || typeof v !== 'object' || Array.isArray(v)) throw new EffectError('invalid_params', `The tool arguments must be an object; got ${JSON.stringify(v)?.slice(0, 80)}.`);
	return v as Record<string, unknown>;
}

/** Maps an explained MCP problem to the effect error code retry and the timeline understand. */
function effectCode(code: string): ConstructorParameters<typeof EffectError>[0] {
	switch (code) {
		case 'timeout':
			return 'timeout';
		case 'unreachable':
		case 'cors':
		case 'cors_session_id':
		case 'mixed_content':
			return 'network';
		case 'unauthorized':
		case 'forbidden':
		case 'not_found':
		case 'not_mcp':
			return 'http_status';
		case 'invalid_arguments':
			return 'invalid_params';
		case 'unknown_tool':
			return 'no_provider';
		default:
			return 'failed';
	}
}

export async function runCallTool(params: CallToolParams, ctx: Pick<EffectContext, 'signal'>): Promise<unknown> {
	if (!params.tool) throw new EffectError('invalid_params', 'Choose the tool to call.');
	try {
		const { server } = await resolveToolServer(params.server, params.tool);
		const result = await callServerTool(server, params.tool, argumentsOf(params.arguments), { signal: ctx.signal });
		if (result.isError) {
			const p = toolErrorProblem(params.tool, server.name, toolErrorText(result));
			throw new EffectError('failed', p.message, { data: { code: 'tool_error', server: server.name, tool: params.tool, content: result.content } });
		}
		return toolResultValue(result);
	} catch (e) {
		if (e instanceof EffectError) throw e;
		if (e instanceof McpError) {
			const p = e.problem;
			throw new EffectError(effectCode(p.code), problemText(p), { data: { code: p.code, ...(p.status ? { status: p.status } : {}) }, ...(p.status ? { status: p.status } : {}), cause: e });
		}
		throw e;
	}
}
