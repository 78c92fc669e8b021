/** One benchmark figure, printed as one JSON line. */
export interface BenchResult {
	name: string;
	value: number;
	unit: string;
	[extra: string]: unknown;
}

export type Report = (name: string, value: number, unit: string, extra?: Record<string, unknown>) => void;

export function printReport(): Report {
	return (name, value, unit, extra) => {
		// one decimal from 100 up: a figure read against a limit (250 kB) must not round across it
		const rounded = Math.abs(value) >= 100 ? Math.round(value * 10) / 10 : Math.round(value * 1000) / 1000;
		console.log(JSON.stringify({ name, value: rounded, unit, ...extra }));
	};
}
