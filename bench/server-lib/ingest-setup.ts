// Shared by the ingest benchmark and its server process: the simulated devices (one enumerator,
// one district, one session each), derived from the device index so both sides agree.
export const deviceCount = () => Number(process.env.BENCH_DEVICES ?? 200);
export const districtCode = (i: number) => `130102${String(i).padStart(6, '0')}001`;
export const userId = (i: number) => `u-bench-${i}`;
export const deviceId = (i: number) => `dev-bench-${i}`;
export const token = (i: number) => `benchtoken-${String(i).padStart(6, '0')}-abcdefghijklmnopqrstuvwxyz`;
