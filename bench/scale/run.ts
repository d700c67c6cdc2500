export interface ScaleRunOptions { folder: string; work: string; k: number; clusterArgs: string[]; projectRoot: string; seed: number }
export type ScaleReport = Record<string, unknown>;
export async function runScaleBenchmark(_o: ScaleRunOptions): Promise<ScaleReport> { throw new Error('not yet'); }
export function formatScaleReport(_r: ScaleReport): string { return ''; }
