/** MCP servers as FSM Studio keeps them, and what a connection found on them. */
import type { JsonSchemaLike } from './json-schema';

export type McpTransportKind = 'streamable-http' | 'sse';

/** How requests to a server are authenticated. Secret values live in the encrypted part. */
export type McpAuth =
	| { kind: 'none' }
	/** `Authorization: Bearer <token>`. */
	| { kind: 'bearer' }
	/** Custom headers (e.g. X-Api-Key); their names are listed here, their values are secret. */
	| { kind: 'headers'; names: string[] }
	/** OAuth 2.1 with PKCE per the MCP authorization spec (discovery, registration, refresh). */
	| { kind: 'oauth'; scope?: string; clientId?: string };

export interface McpToolInfo {
	name: string;
	title?: string;
	description?: string;
	inputSchema: JsonSchemaLike;
	outputSchema?: JsonSchemaLike;
	annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean; openWorldHint?: boolean; title?: string };
}

export interface McpResourceInfo {
	uri: string;
	name: string;
	title?: string;
	description?: string;
	mimeType?: string;
}

export interface McpResourceTemplateInfo {
	uriTemplate: string;
	name: string;
	title?: string;
	description?: string;
	mimeType?: string;
}

export interface McpPromptInfo {
	name: string;
	title?: string;
	description?: string;
	arguments?: { name: string; description?: string; required?: boolean }[];
}

/** What a server offered the last time FSM Studio connected to it. */
export interface McpCatalog {
	serverName?: string;
	serverVersion?: string;
	instructions?: string;
	transport: McpTransportKind;
	tools: McpToolInfo[];
	resources: McpResourceInfo[];
	resourceTemplates: McpResourceTemplateInfo[];
	prompts: McpPromptInfo[];
	fetchedAt: number;
}

/** A server in Settings → MCP servers. */
export interface McpServerConfig {
	id: string;
	/** Shown in the node library and in effect forms. */
	name: string;
	url: string;
	/** `auto` tries Streamable HTTP first and falls back to the legacy HTTP+SSE transport. */
	transport: 'auto' | McpTransportKind;
	auth: McpAuth;
	enabled: boolean;
	createdAt: number;
	updatedAt: number;
	catalog?: McpCatalog;
	/** The last connection problem, explained (cleared by a successful connection). */
	lastError?: McpProblem;
}

/** Secret parts of a server, stored encrypted. */
export interface McpSecrets {
	bearer?: string;
	headers?: Record<string, string>;
	oauth?: {
		tokens?: Record<string, unknown>;
		/** Dynamic client registrations, by authorization server issuer. */
		clients?: Record<string, Record<string, unknown>>;
		codeVerifier?: string;
		state?: string;
		discovery?: unknown;
	};
}

export type McpProblemCode =
	| 'cors'
	| 'cors_session_id'
	| 'unreachable'
	| 'mixed_content'
	| 'unauthorized'
	| 'forbidden'
	| 'sign_in_needed'
	| 'not_found'
	| 'not_mcp'
	| 'timeout'
	| 'tool_error'
	| 'invalid_arguments'
	| 'unknown_tool'
	| 'protocol'
	| 'oauth'
	| 'failed';

/** An error explained for people: what happened and how to fix it. */
export interface McpProblem {
	code: McpProblemCode;
	/** One sentence: what happened. */
	message: string;
	/** What to do about it. */
	fix?: string;
	/** The underlying error's text, for the curious. */
	detail?: string;
	status?: number;
}
