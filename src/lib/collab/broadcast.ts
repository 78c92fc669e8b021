/**
 * A tiny sync provider over BroadcastChannel: tabs of the same browser that open the same
 * workflow exchange Yjs updates directly, no server involved.
 *
 * Protocol (all messages carry the sender's `from` id):
 *   hello { sv }          a tab joined: here is my state vector
 *   sync  { sv, update }  answer to hello: what you lack, and my state vector
 *   update { update }     an incremental change
 */
import * as Y from 'yjs';

type Msg =
	| { t: 'hello'; from: string; sv: Uint8Array }
	| { t: 'sync'; from: string; to: string; sv: Uint8Array; update: Uint8Array }
	| { t: 'update'; from: string; update: Uint8Array };

export class BroadcastProvider {
	readonly channel: BroadcastChannel;
	readonly id = Math.random().toString(36).slice(2);
	private onUpdate = (update: Uint8Array, origin: unknown) => {
		if (origin === this) return;
		this.post({ t: 'update', from: this.id, update });
	};

	constructor(
		readonly name: string,
		readonly doc: Y.Doc,
		private onError: (e: unknown) => void = () => {}
	) {
		this.channel = new BroadcastChannel(name);
		this.channel.onmessage = (e: MessageEvent<Msg>) => this.receive(e.data);
		doc.on('update', this.onUpdate);
		this.post({ t: 'hello', from: this.id, sv: Y.encodeStateVector(doc) });
	}

	private post(m: Msg) {
		try {
			this.channel.postMessage(m);
		} catch (e) {
			this.onError(e);
		}
	}

	private receive(m: Msg) {
		if (!m || m.from === this.id) return;
		try {
			if (m.t === 'hello') {
				this.post({ t: 'sync', from: this.id, to: m.from, sv: Y.encodeStateVector(this.doc), update: Y.encodeStateAsUpdate(this.doc, m.sv) });
			} else if (m.t === 'sync') {
				if (m.to !== this.id) return;
				Y.applyUpdate(this.doc, m.update, this);
				const missing = Y.encodeStateAsUpdate(this.doc, m.sv);
				// an empty update is 2 bytes: nothing the other tab lacks
				if (missing.length > 2) this.post({ t: 'update', from: this.id, update: missing });
			} else if (m.t === 'update') {
				Y.applyUpdate(this.doc, m.update, this);
			}
		} catch (e) {
			this.onError(e);
		}
	}

	destroy() {
		this.doc.off('update', this.onUpdate);
		this.channel.close();
	}
}
