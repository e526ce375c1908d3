// The zod schemas of everything Pucha stores or sends: field names are the contract of
// data-model.md. Each schema exists twice: strict (a complete record: every answer the form always
// asks is present) and draft (the same shape, answers may still be missing, so a half-done
// household can be saved). Presence of conditional answers is the edit checks' job (validate.ts).
import { z } from 'zod';
import * as C from './codes.ts';

const setOf = <V extends number | string>(list: C.CodeList<V>): ReadonlySet<V> => new Set(list.map((x) => x.code));

/** An integer that must be one of a code list's printed codes. */
export function intCode(list: C.CodeList<number>) {
  const codes = setOf(list);
  return z
    .number()
    .int()
    .refine((v) => codes.has(v), { message: `must be one of ${[...codes].join(', ')}` });
}

/** A string code (such as ethnic group "01") that must be on its list. */
export function strCode(list: C.CodeList<string>) {
  const codes = setOf(list);
  return z.string().refine((v) => codes.has(v), { message: 'not a code of this item' });
}

export const IdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'ids are letters, digits, "-" and "_"');
export const YearMonthSchema = z.string().regex(/^(19|20)\d\d-(0[1-9]|1[0-2])$/, 'expected "YYYY-MM"');
export const TimestampSchema = z.iso.datetime({ offset: true });
export const DistrictCodeSchema = z.string().regex(/^\d{15}$/, 'district codes have 15 digits');
export const HouseholdNoSchema = z.string().regex(/^\d{3}$/, 'household numbers have 3 digits');
/** NUL cannot be stored in PostgreSQL text: refused at the schema, like any other invalid answer. */
export const NO_NUL = /^[^\0]*$/;
const NUL_MESSAGE = 'text may not contain NUL characters';
const text = (max: number) => z.string().trim().min(1).max(max).regex(NO_NUL, NUL_MESSAGE);
const count = z.number().int().min(0).max(99_999);
const BySexSchema = z.strictObject({ male: count, female: count });

export const PlaceSchema = z.strictObject({
  province: text(60),
  city: text(60).optional(),
  county: text(60).optional(),
});

export const DistrictSchema = z.strictObject({
  code: DistrictCodeSchema,
  name: text(200),
  urbanRural: strCode(C.URBAN_RURAL).optional(),
  enumerators: z.array(IdSchema).max(50),
});

export const VisitStatusSchema = z.enum(['pending', 'registered', 'selfReported', 'notAtHome', 'refused', 'vacant', 'demolished']);
export const ListingKindSchema = z.enum(['ordinary', 'empty', 'allAway', 'allDeceased', 'allOverseas', 'mixed']);

export const ExpectedCountsSchema = z.strictObject({
  residents: count,
  hukouHereAbsent: count,
  births: count,
  deaths: count,
  overseas: count,
});

export const VisitSchema = z.strictObject({
  status: VisitStatusSchema,
  attempts: z.number().int().min(0).max(999),
  lastAt: TimestampSchema.optional(),
  callbackAt: TimestampSchema.optional(),
  note: z.string().max(500).regex(NO_NUL, NUL_MESSAGE).optional(),
});

/** Lower-case hex SHA-256 of a canonical self-enumeration code (self.ts): what the server stores. */
export const SelfCodeHashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a code hash is 64 lower-case hex digits');
/** A self-enumeration code the enumerator's phone made at the door: the listing entry carries its hash. */
export const SelfCodeIssueSchema = z.strictObject({ hash: SelfCodeHashSchema, issuedAt: TimestampSchema });
export type SelfCodeIssue = z.infer<typeof SelfCodeIssueSchema>;

export const ListingEntrySchema = z.strictObject({
  id: IdSchema,
  districtCode: DistrictCodeSchema,
  buildingNo: text(20),
  unitNo: text(20).optional(),
  householdNo: HouseholdNoSchema,
  address: text(200),
  headName: text(100),
  kind: ListingKindSchema,
  householdType: z.union([z.literal(1), z.literal(2)]),
  expected: ExpectedCountsSchema.optional(),
  phone: z
    .string()
    .regex(/^[0-9+\- ]{5,20}$/, 'phone numbers are digits, "+", "-" and spaces')
    .optional(),
  selfEnumeration: z.boolean(),
  longForm: z.boolean(),
  origin: z.enum(['listing', 'field']),
  visit: VisitSchema,
  /** The newest self-enumeration code made for this household on a phone (issue 13). */
  selfCode: SelfCodeIssueSchema.optional(),
});

export const OverrideReasonSchema = z.enum(['confirmedWithRespondent', 'documentSeen', 'respondentRefused', 'other']);
export const PathSchema = z.array(z.union([z.string().max(40), z.number().int().min(0)])).max(8);
export const OverrideSchema = z.strictObject({
  rule: text(60),
  path: PathSchema,
  reason: OverrideReasonSchema,
  note: z.string().max(500),
});

/**
 * The enumerator's check of a self-reported household at the door, kept on the registration.
 * `by` is the verifying user's id; the server refuses a verification that names anyone but the
 * user who pushes it.
 */
export const SelfVerificationSchema = z.strictObject({
  by: IdSchema,
  at: TimestampSchema,
  outcome: z.enum(['confirmed', 'corrected']),
});
export type SelfVerification = z.infer<typeof SelfVerificationSchema>;

/** Builds the strict (`draft = false`) or draft variant of the registration schemas. */
function build<D extends boolean>(draft: D) {
  // An answer the form always asks: required when strict, optional in a draft.
  const ans = <T extends z.ZodType>(s: T) => (draft ? s.optional() : s) as D extends true ? z.ZodOptional<T> : T;

  const household = z.strictObject({
    householdType: ans(intCode(C.HOUSEHOLD_TYPE)), // H1
    residents: ans(count), // H2a
    hukouHereAbsent: ans(count), // H2b
    births: ans(BySexSchema), // H3
    deaths: ans(BySexSchema), // H4
    dwellingType: ans(intCode(C.DWELLING_TYPE)), // H5
    floorArea: z.number().positive().max(100_000).optional(), // H6
    rooms: z.number().int().min(0).max(999).optional(), // H7
    storeys: intCode(C.STOREYS).optional(), // H8
    structure: intCode(C.STRUCTURE).optional(), // H9
    builtPeriod: intCode(C.BUILT_PERIOD).optional(), // H10
    elevator: intCode(C.HAVE_NOT).optional(), // H11
    cookingFuel: intCode(C.COOKING_FUEL).optional(), // H12
    tapWater: intCode(C.HAVE_NOT).optional(), // H13
    kitchen: intCode(C.KITCHEN).optional(), // H14
    toilet: intCode(C.TOILET).optional(), // H15
    bathing: intCode(C.BATHING).optional(), // H16
    tenure: intCode(C.TENURE).optional(), // H17
    monthlyRent: z.number().int().min(0).max(1_000_000).optional(), // H18
    carValue: intCode(C.CAR_VALUE).optional(), // H19
  });

  const coded = <T extends z.ZodType>(code: T) => z.strictObject({ code, place: PlaceSchema.optional() });

  const person = z.strictObject({
    id: IdSchema,
    name: ans(text(100)), // D1
    relationship: ans(intCode(C.RELATIONSHIP)), // D2
    citizenId: z.string().optional(), // D3: format checked by the edit checks, so a typo is a finding at its field
    sex: ans(intCode(C.SEX)), // D4
    birth: ans(YearMonthSchema), // D5
    ethnicity: ans(strCode(C.ETHNICITY)), // D6
    residence: ans(coded(intCode(C.RESIDENCE))), // D7
    hukou: ans(coded(intCode(C.HUKOU))), // D8
    leftHukouDuration: intCode(C.LEFT_HUKOU_DURATION).optional(), // D9
    leftHukouReason: intCode(C.LEFT_HUKOU_REASON).optional(), // D10
    education: intCode(C.EDUCATION).optional(), // D11 / C15
    literate: intCode(C.YES_NO).optional(), // D12 / C17
    // long form
    hukouPlaceType: intCode(C.HUKOU_PLACE_TYPE).optional(), // C11
    ruralLandRights: intCode(C.HAVE_NOT).optional(), // C12
    birthPlace: z.strictObject({ code: intCode(C.BIRTH_PLACE), province: text(60).optional() }).optional(), // C13
    residence5y: coded(intCode(C.RESIDENCE_5Y)).optional(), // C14
    schooling: intCode(C.SCHOOLING).optional(), // C16
    work: z.strictObject({ status: intCode(C.WORK_STATUS), hours: z.number().int().min(0).max(999).optional() }).optional(), // C18
    employerType: intCode(C.EMPLOYER_TYPE).optional(), // C19
    industry: z.strictObject({ employer: text(200), business: text(200) }).optional(), // C20
    occupation: text(200).optional(), // C21
    notWorkingReason: intCode(C.NOT_WORKING_REASON).optional(), // C22
    livelihood: intCode(C.LIVELIHOOD).optional(), // C23
    marital: intCode(C.MARITAL).optional(), // C24
    firstMarriage: YearMonthSchema.optional(), // C25
    childrenBorn: z.strictObject({ male: count, female: count, survivingMale: count, survivingFemale: count }).optional(), // C26
    birthsLastYear: z.array(z.strictObject({ month: YearMonthSchema, sex: intCode(C.SEX) })).max(10).optional(), // C27
    livingArrangement: intCode(C.LIVING_ARRANGEMENT).optional(), // C28
    health: intCode(C.HEALTH).optional(), // C29
  });

  const death = z.strictObject({
    id: IdSchema,
    name: ans(text(100)),
    sex: ans(intCode(C.SEX)),
    birth: ans(YearMonthSchema),
    death: ans(YearMonthSchema),
    ethnicity: ans(strCode(C.ETHNICITY)),
    citizenId: z.string().optional(),
    education: intCode(C.EDUCATION).optional(),
    marital: intCode(C.MARITAL).optional(),
  });

  const overseas = z.strictObject({
    id: IdSchema,
    name: ans(text(100)),
    foreignName: text(200).optional(),
    relationship: ans(intCode(C.RELATIONSHIP)),
    sex: ans(intCode(C.SEX)),
    birth: ans(YearMonthSchema),
    status: ans(intCode(C.OVERSEAS_STATUS)),
    nationality: z
      .string()
      .regex(/^[A-Z]{3}$/, 'ISO 3166 alpha-3, e.g. "KOR"')
      .optional(),
    documentType: ans(intCode(C.DOCUMENT_TYPE)),
    documentNumber: ans(text(40)),
    purpose: ans(intCode(C.PURPOSE)),
    stay: ans(intCode(C.STAY)),
    education: intCode(C.EDUCATION).optional(),
  });

  const registration = z.strictObject({
    id: IdSchema,
    listingId: IdSchema,
    districtCode: DistrictCodeSchema,
    householdNo: HouseholdNoSchema,
    form: z.enum(['short', 'long']),
    source: z.enum(['enumerator', 'self']),
    status: z.enum(['draft', 'complete']),
    household: household,
    persons: z.array(person).max(500),
    deaths: z.array(death).max(100),
    overseas: z.array(overseas).max(500),
    overrides: z.array(OverrideSchema).max(500),
    version: z.number().int().min(1),
    updatedAt: TimestampSchema,
    /** Only on `source: "self"`: the enumerator's verification at the door (issue 13). */
    verification: SelfVerificationSchema.optional(),
  });

  return { household, person, death, overseas, registration };
}

const strict = build(false);
const draft = build(true);

export const HouseholdSchema = strict.household;
export const PersonSchema = strict.person;
export const DeathSchema = strict.death;
export const OverseasPersonSchema = strict.overseas;
/** A complete registration: every always-asked answer present. */
export const RegistrationSchema = strict.registration;

export const HouseholdDraftSchema = draft.household;
export const PersonDraftSchema = draft.person;
export const DeathDraftSchema = draft.death;
export const OverseasPersonDraftSchema = draft.overseas;
/** A registration as saved at any time: the same fields, answers may be missing. */
export const RegistrationDraftSchema = draft.registration;

/** Parse a registration with the schema its status calls for. */
export function parseRegistration(input: unknown) {
  const status = typeof input === 'object' && input !== null && 'status' in input ? input.status : undefined;
  return status === 'complete' ? RegistrationSchema.safeParse(input) : RegistrationDraftSchema.safeParse(input);
}

export const FindingSchema = z.strictObject({
  rule: z.string(),
  severity: z.enum(['error', 'warning']),
  path: PathSchema,
  message: z.strictObject({ zh: z.string(), en: z.string() }),
});

export type District = z.infer<typeof DistrictSchema>;
export type ListingEntry = z.infer<typeof ListingEntrySchema>;
export type VisitStatus = z.infer<typeof VisitStatusSchema>;
export type Visit = z.infer<typeof VisitSchema>;
export type ListingKind = z.infer<typeof ListingKindSchema>;
export type Place = z.infer<typeof PlaceSchema>;
export type Override = z.infer<typeof OverrideSchema>;
export type OverrideReason = z.infer<typeof OverrideReasonSchema>;
export type Household = z.infer<typeof HouseholdSchema>;
export type Person = z.infer<typeof PersonSchema>;
export type Death = z.infer<typeof DeathSchema>;
export type OverseasPerson = z.infer<typeof OverseasPersonSchema>;
export type Registration = z.infer<typeof RegistrationSchema>;
export type HouseholdDraft = z.infer<typeof HouseholdDraftSchema>;
export type PersonDraft = z.infer<typeof PersonDraftSchema>;
export type DeathDraft = z.infer<typeof DeathDraftSchema>;
export type OverseasPersonDraft = z.infer<typeof OverseasPersonDraftSchema>;
export type RegistrationDraft = z.infer<typeof RegistrationDraftSchema>;
export type Finding = z.infer<typeof FindingSchema>;
export type FindingPath = Finding['path'];
