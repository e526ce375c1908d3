// Domain benchmark: generator throughput, edit-check cost per household (against a zod parse of
// the same registration as the raw baseline), and the generated figures against Hebei's (§7).
import { performance } from 'node:perf_hooks';
import { districtFigures, generateDistrict, RegistrationSchema, validateRegistration, type Registration } from '../src/domain/index.ts';

const DISTRICTS = 20;
const HOUSEHOLDS = 100;

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const out = fn();
  return [out, performance.now() - t0];
}

const [districts, genMs] = time(() =>
  Array.from({ length: DISTRICTS }, (_, i) => generateDistrict({ seed: 2020 + i, code: `130102001001${String(i + 1).padStart(3, '0')}`, enumerators: ['e1'], households: HOUSEHOLDS })),
);
const regs: Registration[] = districts.flatMap((d) => d.registrations);
const listingById = new Map(districts.flatMap((d) => d.listing).map((e) => [e.id, e]));

function perHousehold(fn: (r: Registration) => unknown): number[] {
  const out: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const r of regs) {
      const t0 = performance.now();
      fn(r);
      out.push(performance.now() - t0);
    }
  }
  return out.sort((a, b) => a - b);
}
const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;

// Warm up both paths before measuring.
for (const r of regs) {
  validateRegistration(r);
  RegistrationSchema.safeParse(r);
}
const checks = perHousehold((r) => {
  const listing = listingById.get(r.listingId);
  return validateRegistration(r, listing ? { listing } : {});
});
const parse = perHousehold((r) => RegistrationSchema.safeParse(r));

const f = districtFigures(regs);
const fmt = (n: number) => n.toFixed(3);
console.log(`generator: ${DISTRICTS * HOUSEHOLDS} households (${f.persons} persons) in ${genMs.toFixed(0)} ms = ${((DISTRICTS * HOUSEHOLDS) / (genMs / 1000)).toFixed(0)} households/s (validation and schema parse included)`);
console.log(`validateRegistration per household: median ${fmt(q(checks, 0.5))} ms, p95 ${fmt(q(checks, 0.95))} ms, max ${fmt(q(checks, 1))} ms`);
console.log(`baseline RegistrationSchema.safeParse: median ${fmt(q(parse, 0.5))} ms, p95 ${fmt(q(parse, 0.95))} ms`);
console.log(`ratio checks / parse (median): ${(q(checks, 0.5) / q(parse, 0.5)).toFixed(2)}`);
console.log('generated figures vs Hebei (§7):');
console.log(`  mean family household size ${f.meanFamilySize} (2.75)`);
console.log(`  age 0-14 / 15-59 / 60+ ${f.ageShares.join(' / ')} % (20.22 / 59.92 / 19.85)`);
console.log(`  sex ratio ${f.sexRatio} (102.02)`);
console.log(`  persons in collective households ${f.collectiveShare} % (6.4)`);
console.log(`  residents living away from their hukou township ${f.awayFromHukouShare} % (~20)`);
console.log(`  households with a birth ${((f.birthHouseholds / f.households) * 100).toFixed(2)} % (~2.4), with a death ${((f.deathHouseholds / f.households) * 100).toFixed(2)} % (~2)`);
console.log(`  long-form households ${((f.longForm / f.households) * 100).toFixed(1)} % (10), overseas persons ${f.overseas}`);
