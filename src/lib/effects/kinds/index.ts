/** Registry of built-in effect kinds: the designer builds property forms from the schemas. */
import { assign } from './assign';
import { log } from './log';
import { raise } from './raise';
import { emit } from './emit';
import { send } from './send';
import { cancel } from './cancel';
import { transform } from './transform';
import { delay } from './delay';
import { http } from './http';
import { call_llm } from './call_llm';
import { embed_text } from './embed_text';
import { vector_search } from './vector_search';
import { rag } from './rag';
import { coordinate_agents } from './coordinate_agents';
import { call_tool } from './call_tool';
import { sequence } from './sequence';
import { parallel } from './parallel';
import { race } from './race';
import { retry } from './retry';
import { timeout } from './timeout';
import { with_compensation } from './with_compensation';
import { circuit_breaker } from './circuit_breaker';
import { rate_limit } from './rate_limit';
import { bulkhead } from './bulkhead';
import { saga } from './saga';
import { cache } from './cache';

export const effectKinds = {
	assign,
	log,
	raise,
	send,
	cancel,
	emit,
	transform,
	delay,
	http,
	call_llm,
	embed_text,
	vector_search,
	rag,
	coordinate_agents,
	call_tool,
	sequence,
	parallel,
	race,
	retry,
	timeout,
	with_compensation,
	circuit_breaker,
	rate_limit,
	bulkhead,
	saga,
	cache
};

export type EffectType = keyof typeof effectKinds;
