/**
 * Writes a tiny, deterministic BERT-style sentence-embedding model that tests load through
 * the real transformers.js `feature-extraction` pipeline (no model can be downloaded in CI):
 *
 *   tests/fixtures/models/fsm-studio/test-embedder/
 *     config.json, tokenizer.json, tokenizer_config.json, onnx/model_quantized.onnx
 *
 * The model is a WordPiece tokenizer (BERT's normalizer, pre-tokenizer and [CLS]/[SEP]
 * template) and an ONNX graph with BERT's three inputs and its `last_hidden_state` output:
 *
 *   last_hidden_state = (Dequantize(W)[input_ids] + T[token_type_ids]) · attention_mask
 *
 * so with the pipeline's mean pooling a sentence embeds as the average of its token
 * vectors. Token vectors are pseudo-random, seeded by the token's own text, so adding a
 * word never moves another. Words of one *concept group* (cat, cats, kitten, кошка, 猫)
 * share most of their direction, which gives the model something like synonyms and
 * translations — enough for tests to tell semantic from keyword retrieval.
 *
 * Run: node --import tsx scripts/generate-test-embedding-model.ts
 * The output is committed; nothing at test or CI time needs this script.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { onnx as OnnxNs } from 'onnx-proto';

const require = createRequire(import.meta.url);
const { onnx } = require('onnx-proto') as { onnx: typeof OnnxNs };

const DIM = 64;
const MODEL_ID = 'fsm-studio/test-embedder';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'tests', 'fixtures', 'models', ...MODEL_ID.split('/'));

/** Words that share a direction (first word names the group). */
const GROUPS: string[][] = [
	['cat', 'cats', 'kitten', 'kittens', 'kitty', 'feline', 'кошка', 'кот', '猫'],
	['dog', 'dogs', 'puppy', 'puppies', 'canine', 'hound', 'собака', '犬'],
	['car', 'cars', 'automobile', 'automobiles', 'vehicle', 'vehicles', 'автомобиль', '车'],
	['train', 'trains', 'railway', 'railways', 'locomotive', 'locomotives', 'rail', 'поезд'],
	['sleep', 'sleeps', 'sleeping', 'nap', 'naps', 'rest', 'rests', 'asleep', 'спать'],
	['food', 'eat', 'eats', 'eating', 'meal', 'meals', 'meat', 'feed', 'еда'],
	['water', 'drink', 'drinks', 'thirst', 'вода', '水'],
	['engine', 'engines', 'motor', 'motors', 'двигатель'],
	['fuel', 'petrol', 'gasoline', 'diesel', 'топливо'],
	['walk', 'walks', 'walking', 'stroll', 'leash', 'прогулка'],
	['fast', 'quick', 'quickly', 'speed', 'rapid', 'быстро'],
	['price', 'prices', 'cost', 'costs', 'fee', 'fees', 'fare', 'fares', 'цена'],
	['city', 'cities', 'town', 'towns', 'город'],
	['river', 'rivers', 'stream', 'река'],
	['book', 'books', 'novel', 'novels', 'книга'],
	['music', 'song', 'songs', 'melody', 'музыка'],
	['computer', 'computers', 'machine', 'machines', 'компьютер'],
	['refund', 'refunds', 'reimburse', 'repayment', 'возврат'],
	['ticket', 'tickets', 'pass', 'билет'],
	['station', 'stations', 'platform', 'вокзал']
];

/** Other whole words (common English, and what the test corpora use). */
const WORDS = `
the of and to a in is it you that he was for on are with as i his they be at one have this from
or had by hot word but what some we can out other were all there when up use your how said an
each she which do their time if will way about many then them write would like so these her long
make thing see him two has look more day could go come did number sound no most people my over
know than call first who may down side been now find any new work part take get place made live
where after back little only round man year came show every good me give our under name very
through just form sentence great think say help low line differ turn cause much mean before move
right boy old too same tell does set three want air well also play small end put home read hand
port large spell add even land here must big high such follow act why ask men change went light
kind off need house picture try us again animal point mother world near build self earth father
head stand own page should country found answer school grow study still learn plant cover sun
four between state keep eye never last let thought tree cross farm hard start might story saw
far sea draw left late run don't while press close night real life few north open seem together
next white children begin got example ease paper group always those both mark often letter until
mile carry science room friend began idea fish mountain stop once base hear horse cut sure watch
color face wood main enough plain girl usual young ready above ever red list though feel talk bird
soon body family direct pose leave door short class wind question happen complete ship area half
rock order fire south problem piece told knew pass since top whole king space heard best hour
better true during hundred five remember step early hold west ground interest reach morning
evening ten simple several toward war lay against pattern slow center love person money serve
appear road map rain rule govern pull cold notice voice unit power fine certain fly fall lead
cry dark note wait plan figure star box field rest correct able pound done beauty drive stood
contain front teach week final gave green oh develop ocean warm free minute strong special mind
behind clear tail produce fact street inch multiply nothing course stay wheel wheels full force
blue object decide surface deep moon island foot system busy test record boat common gold possible
plane stead dry wonder laugh thousand ago ran check game shape equate miss brought heat snow tire
bring yes distant fill east paint language among grand ball yet wave drop heart am present heavy
dance position arm wide sail material size vary settle speak weight general ice matter circle pair
include divide syllable felt perhaps pick sudden count square reason length represent art subject
region energy hunt probable bed brother egg ride cell believe forest sit race window store summer
day days hours adult adults bowl bowls fresh near always daily twice learns learn rice milk
cheese fish mouse mice bark barks chase chases wag tails purr purrs claw claws fur whiskers
travel travels journey trip trips passenger passengers seat seats delay delays delayed schedule
timetable depart departs arrive arrives arrival departure route routes line lines track tracks
brake brakes tyre tyres tire tires battery batteries electric road roads highway drive driver
drivers garage repair repairs oil mechanic wheel steering four doors
paris berlin london rome madrid vienna europe france germany england italy spain austria
ada lovelace charles babbage alan turing grace hopper
workflow workflows state states machine transition transitions event events effect effects
document documents chunk chunks search query answer citation citations knowledge model models
embedding embeddings vector vectors keyword keywords graph fusion rank ranking score scores
support policy policies customer customers order orders shipping delivery days return returns
account password login email reset invoice invoices payment payments card cards bank
`;

const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';
const PUNCT = `.,;:!?'"()[]{}-_/\\@#$%&*+=<>|~\`^`;
const EXTRA_CHARS = 'абвгдеёжзиклмнопрстуфхцчшщъыьэюяαβγδεζηθικλμνξοπρστυφχψω';

function buildVocab(): string[] {
	const seen = new Set<string>();
	const vocab: string[] = [];
	const add = (t: string) => {
		if (!seen.has(t)) {
			seen.add(t);
			vocab.push(t);
		}
	};
	SPECIAL.forEach(add);
	for (const c of PUNCT) add(c);
	for (const c of CHARS + EXTRA_CHARS) {
		add(c);
		add('##' + c);
	}
	for (const g of GROUPS) g.forEach(add);
	for (const w of WORDS.split(/\s+/)) if (w && /^[a-z]+$/.test(w)) add(w);
	return vocab;
}

/** FNV-1a, then mulberry32: a stable stream of numbers per token. */
function rng(seedText: string): () => number {
	let h = 0x811c9dc5;
	for (const ch of seedText) {
		h ^= ch.codePointAt(0)!;
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	let a = h;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A unit vector of normally distributed components (Box–Muller). */
function randomUnit(seedText: string): Float32Array {
	const r = rng(seedText);
	const v = new Float32Array(DIM);
	for (let i = 0; i < DIM; i += 2) {
		const u = Math.max(r(), 1e-12);
		const w = r();
		const m = Math.sqrt(-2 * Math.log(u));
		v[i] = m * Math.cos(2 * Math.PI * w);
		if (i + 1 < DIM) v[i + 1] = m * Math.sin(2 * Math.PI * w);
	}
	return normalize(v);
}

function normalize(v: Float32Array): Float32Array {
	let n = 0;
	for (const x of v) n += x * x;
	n = Math.sqrt(n) || 1;
	for (let i = 0; i < v.length; i++) v[i] /= n;
	return v;
}

function tokenVectors(vocab: string[]): Float32Array {
	const groupOf = new Map<string, string>();
	for (const g of GROUPS) for (const w of g) groupOf.set(w, g[0]);
	const W = new Float32Array(vocab.length * DIM);
	vocab.forEach((tok, i) => {
		// special tokens add nothing to a mean-pooled sentence
		if (SPECIAL.includes(tok)) return;
		const own = randomUnit('token:' + tok);
		const group = groupOf.get(tok);
		// sub-word pieces carry less weight than whole words
		const scale = tok.startsWith('##') || tok.length === 1 ? 0.35 : 1;
		let v = own;
		if (group) {
			const g = randomUnit('group:' + group);
			v = new Float32Array(DIM);
			for (let d = 0; d < DIM; d++) v[d] = 0.9 * g[d] + 0.35 * own[d];
			normalize(v);
		}
		for (let d = 0; d < DIM; d++) W[i * DIM + d] = v[d] * scale;
	});
	return W;
}

function quantize(W: Float32Array): { q: Int8Array; scale: number } {
	let max = 0;
	for (const x of W) max = Math.max(max, Math.abs(x));
	const scale = max / 127;
	const q = new Int8Array(W.length);
	for (let i = 0; i < W.length; i++) q[i] = Math.max(-127, Math.min(127, Math.round(W[i] / scale)));
	return { q, scale };
}

const T = onnx.TensorProto.DataType;

function valueInfo(name: string, elemType: number, dims: (string | number)[]) {
	return onnx.ValueInfoProto.create({
		name,
		type: {
			tensorType: {
				elemType,
				shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) }
			}
		}
	});
}

function node(opType: string, inputs: string[], outputs: string[], attrs: OnnxNs.IAttributeProto[] = []) {
	return onnx.NodeProto.create({ opType, input: inputs, output: outputs, name: outputs[0] + '_' + opType, attribute: attrs });
}

function buildModel(vocabSize: number, W: Float32Array): Uint8Array {
	const { q, scale } = quantize(W);
	const typeEmb = new Float32Array(2 * DIM);
	// segment B tokens lean one way; single sentences (segment A) get zeros, as BERT's learnt table nearly does
	const tb = randomUnit('token-type:1');
	for (let d = 0; d < DIM; d++) typeEmb[DIM + d] = 0.05 * tb[d];
	const graph = onnx.GraphProto.create({
		name: 'test_embedder',
		input: [
			valueInfo('input_ids', T.INT64, ['batch_size', 'sequence_length']),
			valueInfo('attention_mask', T.INT64, ['batch_size', 'sequence_length']),
			valueInfo('token_type_ids', T.INT64, ['batch_size', 'sequence_length'])
		],
		output: [valueInfo('last_hidden_state', T.FLOAT, ['batch_size', 'sequence_length', DIM])],
		initializer: [
			onnx.TensorProto.create({ name: 'word_embeddings_q', dataType: T.INT8, dims: [vocabSize, DIM], rawData: new Uint8Array(q.buffer) }),
			onnx.TensorProto.create({ name: 'word_embeddings_scale', dataType: T.FLOAT, dims: [], floatData: [scale] }),
			onnx.TensorProto.create({ name: 'word_embeddings_zero', dataType: T.INT8, dims: [], rawData: new Uint8Array([0]) }),
			onnx.TensorProto.create({ name: 'token_type_embeddings', dataType: T.FLOAT, dims: [2, DIM], rawData: new Uint8Array(typeEmb.buffer) }),
			onnx.TensorProto.create({ name: 'axis_last', dataType: T.INT64, dims: [1], int64Data: [-1] })
		],
		node: [
			node('DequantizeLinear', ['word_embeddings_q', 'word_embeddings_scale', 'word_embeddings_zero'], ['word_embeddings']),
			node('Gather', ['word_embeddings', 'input_ids'], ['words'], [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }]),
			node('Gather', ['token_type_embeddings', 'token_type_ids'], ['types'], [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }]),
			node('Add', ['words', 'types'], ['embeddings']),
			node('Cast', ['attention_mask'], ['mask_float'], [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: T.FLOAT }]),
			node('Unsqueeze', ['mask_float', 'axis_last'], ['mask_3d']),
			node('Mul', ['embeddings', 'mask_3d'], ['last_hidden_state'])
		]
	});
	const model = onnx.ModelProto.create({
		irVersion: 8,
		producerName: 'fsm-studio test-embedding generator',
		producerVersion: '1',
		opsetImport: [{ domain: '', version: 13 }],
		graph
	});
	return onnx.ModelProto.encode(model).finish();
}

function tokenizerJson(vocab: string[]) {
	const ids: Record<string, number> = {};
	vocab.forEach((t, i) => (ids[t] = i));
	return {
		version: '1.0',
		truncation: null,
		padding: null,
		added_tokens: SPECIAL.map((content, id) => ({
			id,
			content,
			single_word: false,
			lstrip: false,
			rstrip: false,
			normalized: false,
			special: true
		})),
		normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
		pre_tokenizer: { type: 'BertPreTokenizer' },
		post_processor: {
			type: 'TemplateProcessing',
			single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
			pair: [
				{ SpecialToken: { id: '[CLS]', type_id: 0 } },
				{ Sequence: { id: 'A', type_id: 0 } },
				{ SpecialToken: { id: '[SEP]', type_id: 0 } },
				{ Sequence: { id: 'B', type_id: 1 } },
				{ SpecialToken: { id: '[SEP]', type_id: 1 } }
			],
			special_tokens: {
				'[CLS]': { id: '[CLS]', ids: [ids['[CLS]']], tokens: ['[CLS]'] },
				'[SEP]': { id: '[SEP]', ids: [ids['[SEP]']], tokens: ['[SEP]'] }
			}
		},
		decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
		model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: ids }
	};
}

const vocab = buildVocab();
const W = tokenVectors(vocab);
const modelBytes = buildModel(vocab.length, W);

mkdirSync(join(out, 'onnx'), { recursive: true });
const json = (v: unknown) => JSON.stringify(v, null, 1) + '\n';
writeFileSync(join(out, 'onnx', 'model_quantized.onnx'), modelBytes);
writeFileSync(join(out, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocab)) + '\n');
writeFileSync(
	join(out, 'tokenizer_config.json'),
	json({
		tokenizer_class: 'BertTokenizer',
		do_lower_case: true,
		model_max_length: 512,
		cls_token: '[CLS]',
		sep_token: '[SEP]',
		pad_token: '[PAD]',
		unk_token: '[UNK]',
		mask_token: '[MASK]',
		clean_up_tokenization_spaces: true
	})
);
writeFileSync(
	join(out, 'config.json'),
	json({
		_name_or_path: MODEL_ID,
		architectures: ['BertModel'],
		model_type: 'bert',
		hidden_size: DIM,
		vocab_size: vocab.length,
		type_vocab_size: 2,
		max_position_embeddings: 512,
		num_hidden_layers: 0,
		num_attention_heads: 1,
		intermediate_size: DIM,
		pad_token_id: 0,
		'transformers.js_config': { dtype: 'q8' }
	})
);
console.log(`${MODEL_ID}: ${vocab.length} tokens × ${DIM} dims, model ${modelBytes.length} bytes → ${out}`);
