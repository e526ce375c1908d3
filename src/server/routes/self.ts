// Self-enumeration (issue 13): the respondent's two calls, without an account. The code is the
// only credential: 80 random bits, looked up by its SHA-256. Every code that cannot be used
// (wrong, malformed, used, revoked, expired, a long-form household's, a household an enumerator
// registered) gets the same 401 body, so an answer tells a guesser nothing; every attempt counts
// against the address's and the installation's limits (shared by every node). The code travels
// in the body only, never in a URL, and nothing here logs a body.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  MAX_SELF_SUBMIT_BYTES,
  SELF_FORM_VERSION,
  SelfSessionRequestSchema,
  SelfSubmitRequestSchema,
  listingFindings,
  normalizeSelfCode,
  parseRegistration,
  validateRegistration,
  type ListingEntry,
  type Registration,
  type SelfSubmitRequest,
} from '../../domain/index.ts';
import type { Ctx } from '../context.ts';
import { HttpError, parseOr400 } from '../errors.ts';
import type { ListingWrite, RegistrationWrite } from '../push-plan.ts';
import { blockedError, unconfirmedWarnings } from '../push-prepare.ts';
import type { SelfFound, SelfPlan } from '../store/sql-self.ts';
import { zodDetails } from '../zod-details.ts';

/** The one answer for every code that cannot be used. */
export const SELF_CODE_REFUSED = 'this code cannot be used: check it against the notice, or ask your enumerator (it may be used, expired or replaced)';
const refused = () => new HttpError(401, 'unauthorized', SELF_CODE_REFUSED);

export const selfCodeHashOf = (code: string) => createHash('sha256').update(code).digest('hex');

/** The registration id a code's submission gets (one household, one self submission). */
export const selfRegistrationId = (hash: string) => `self-${hash.slice(0, 32)}`;

type Judgement = { kind: 'valid'; entry: ListingEntry } | { kind: 'submitted'; submissionId: string; at: string } | { kind: 'refused' };

/** Whether a stored code may open or submit its household's form now. */
export function judgeSelfCode(found: SelfFound | undefined, now: Date, deadline: string): Judgement {
  if (!found) return { kind: 'refused' };
  const { code, entry } = found;
  if (code.usedAt !== undefined) return code.submissionId !== undefined ? { kind: 'submitted', submissionId: code.submissionId, at: code.usedAt } : { kind: 'refused' };
  if (code.revokedAt !== undefined || now.getTime() >= Date.parse(deadline)) return { kind: 'refused' };
  // Self-enumeration covers the short form only; a household an enumerator registered (or has
  // begun to) is no longer the respondent's to fill in.
  if (!entry || entry.longForm || entry.districtCode !== code.districtCode) return { kind: 'refused' };
  if (found.registrations.length > 0) return { kind: 'refused' };
  return { kind: 'valid', entry };
}

function buildWrites(found: SelfFound, entry: ListingEntry, hash: string, body: SelfSubmitRequest, at: string) {
  const id = selfRegistrationId(hash);
  const candidate = {
    id,
    listingId: entry.id,
    districtCode: entry.districtCode,
    householdNo: entry.householdNo,
    form: 'short',
    source: 'self',
    status: 'complete',
    household: body.household,
    persons: body.persons,
    deaths: body.deaths,
    overseas: [],
    overrides: body.overrides,
    version: 1,
    updatedAt: at,
  };
  const parsed = parseRegistration(candidate);
  if (!parsed.success) {
    const details = zodDetails(parsed.error).filter((d) => ['household', 'persons', 'deaths', 'overrides'].includes(String(d.path[0])));
    throw new HttpError(422, 'validation_failed', 'the form is not complete', details.length > 0 ? details : zodDetails(parsed.error));
  }
  const reg = parsed.data as Registration;
  // The checks the respondent's page runs (no listing entry there); a finding the listing adds is
  // not the respondent's to answer: it is kept as a warning for the enumerator who verifies.
  const findings = validateRegistration(reg);
  const blocked = blockedError(findings, reg.overrides);
  if (blocked) {
    throw new HttpError(
      422,
      'validation_failed',
      'the form has answers to correct or to confirm',
      (blocked.details ?? []).map((d) => ({ path: d.path.slice(1), message: d.message })),
    );
  }
  const extra = listingFindings(reg, entry);
  const registration: RegistrationWrite = {
    id,
    districtCode: entry.districtCode,
    listingId: entry.id,
    householdNo: entry.householdNo,
    form: 'short',
    status: 'complete',
    version: 1,
    persons: reg.persons.length,
    errors: extra.filter((f) => f.severity === 'error').length,
    warnings: unconfirmedWarnings(findings, reg.overrides).length + unconfirmedWarnings(extra, reg.overrides).length,
    data: reg,
  };
  const updated: ListingEntry = { ...entry, visit: { ...entry.visit, status: 'selfReported', lastAt: at } };
  const listing: ListingWrite = { id: entry.id, districtCode: entry.districtCode, householdNo: entry.householdNo, visitStatus: 'selfReported', version: found.listingVersion + 1, data: updated };
  return { registration, listing };
}

async function limited(ctx: Ctx, req: FastifyRequest): Promise<void> {
  const wait = await ctx.limiter.selfAttempt(req.ip, ctx.self);
  if (wait > 0) throw new HttpError(429, 'rate_limited', 'too many attempts; try again later', [], { 'Retry-After': String(wait) });
}

export function selfRoutes(app: FastifyInstance, ctx: Ctx) {
  app.post('/self/session', { bodyLimit: 4096 }, async (req) => {
    await limited(ctx, req);
    const body = parseOr400(SelfSessionRequestSchema, req.body);
    const code = normalizeSelfCode(body.code);
    if (!code) throw refused();
    const j = judgeSelfCode(await ctx.store.findSelfCode(selfCodeHashOf(code)), ctx.now(), ctx.self.deadline);
    if (j.kind !== 'valid') throw refused();
    return { address: j.entry.address, form: 'short', formVersion: SELF_FORM_VERSION, deadline: ctx.self.deadline };
  });

  app.post('/self/submit', { bodyLimit: MAX_SELF_SUBMIT_BYTES }, async (req) => {
    await limited(ctx, req);
    const body = parseOr400(SelfSubmitRequestSchema, req.body);
    const code = normalizeSelfCode(body.code);
    if (!code) throw refused();
    const hash = selfCodeHashOf(code);
    const now = ctx.now();
    const at = now.toISOString();
    const found = await ctx.store.findSelfCode(hash);
    const first = judgeSelfCode(found, now, ctx.self.deadline);
    if (first.kind === 'submitted') {
      if (first.submissionId === body.submissionId) return { submittedAt: first.at };
      throw refused();
    }
    if (first.kind !== 'valid') throw refused();
    // Checked before the transaction (a 422 needs no lock), and built again from what the
    // transaction reads, so a household registered meanwhile is never overwritten.
    if (found) buildWrites(found, first.entry, hash, body, at);
    const outcome = await ctx.store.selfSubmit(hash, selfRegistrationId(hash), body.submissionId, at, (f): SelfPlan => {
      const j = judgeSelfCode(f, now, ctx.self.deadline);
      if (j.kind === 'submitted') return j.submissionId === body.submissionId ? { kind: 'duplicate', submittedAt: j.at } : { kind: 'refuse' };
      if (j.kind !== 'valid' || !f) return { kind: 'refuse' };
      return { kind: 'write', ...buildWrites(f, j.entry, hash, body, at) };
    });
    if (outcome.kind === 'refused') throw refused();
    return { submittedAt: outcome.submittedAt };
  });
}
