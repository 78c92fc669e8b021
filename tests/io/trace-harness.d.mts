export declare class ManualClock {
	time: number;
	now(): number;
	setTimeout(fn: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
	advance(ms: number): void;
}
export declare function trace(
	create: (options: { clock: ManualClock; onEvent: (e: unknown) => void }) => {
		start(): void;
		send(e: { type: string; [k: string]: unknown }): void;
		snapshot(): { value: unknown; context: unknown; status: string; error?: unknown; output?: unknown };
		stop(): void;
	},
	script: ({ kind: 'send'; event: string; x: number } | { kind: 'advance'; ms: number })[]
): Promise<{ snapshots: unknown[]; events: unknown[] }>;
