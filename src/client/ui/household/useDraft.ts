// The draft being edited and whether it holds unsaved edits. Every edit goes through one reducer
// so "dirty" cannot be forgotten; a save clears it only if nothing changed while it was running.
import { useCallback, useReducer } from 'react';
import type { DeathDraft, Finding, HouseholdDraft, OverrideReason, OverseasPersonDraft, PersonDraft, RegistrationDraft } from '../../../domain/index.ts';
import { moveBy, removeAt, replaceAt, withOverride, withoutOverride, type ListKey } from './draft-ops.ts';

export type DraftEdit =
  | { type: 'household'; household: HouseholdDraft }
  | { type: 'person'; index: number; item: PersonDraft }
  | { type: 'death'; index: number; item: DeathDraft }
  | { type: 'overseasPerson'; index: number; item: OverseasPersonDraft }
  | { type: 'add'; list: ListKey; id: string }
  /** A person or death filled in from elsewhere (a review item's register record). */
  | { type: 'addPerson'; item: PersonDraft }
  | { type: 'addDeath'; item: DeathDraft }
  | { type: 'remove'; list: ListKey; index: number }
  | { type: 'move'; list: ListKey; index: number; by: -1 | 1 }
  | { type: 'confirm'; finding: Finding; reason: OverrideReason; note: string }
  | { type: 'unconfirm'; finding: Finding };

interface State {
  draft: RegistrationDraft;
  /** Bumped on every edit: a save that started at revision r is current only if it is still r. */
  revision: number;
  savedRevision: number;
}

type Action = { type: 'edit'; edit: DraftEdit } | { type: 'saved'; revision: number; saved: RegistrationDraft };

/** Apply a list operation to one of the three record lists (each item needs only its id). */
function onList(d: RegistrationDraft, list: ListKey, f: <T extends { id: string }>(xs: readonly T[]) => T[]): RegistrationDraft {
  switch (list) {
    case 'persons':
      return { ...d, persons: f(d.persons) };
    case 'deaths':
      return { ...d, deaths: f(d.deaths) };
    case 'overseas':
      return { ...d, overseas: f(d.overseas) };
  }
}

/** Append an empty record (a draft needs only its id). */
function addTo(d: RegistrationDraft, list: ListKey, id: string): RegistrationDraft {
  switch (list) {
    case 'persons':
      return { ...d, persons: [...d.persons, { id }] };
    case 'deaths':
      return { ...d, deaths: [...d.deaths, { id }] };
    case 'overseas':
      return { ...d, overseas: [...d.overseas, { id }] };
  }
}

function applyEdit(d: RegistrationDraft, e: DraftEdit): RegistrationDraft {
  switch (e.type) {
    case 'household':
      return { ...d, household: e.household };
    case 'person':
      return { ...d, persons: replaceAt(d.persons, e.index, e.item) };
    case 'death':
      return { ...d, deaths: replaceAt(d.deaths, e.index, e.item) };
    case 'overseasPerson':
      return { ...d, overseas: replaceAt(d.overseas, e.index, e.item) };
    case 'add':
      return addTo(d, e.list, e.id);
    case 'addPerson':
      return { ...d, persons: [...d.persons, e.item] };
    case 'addDeath':
      return { ...d, deaths: [...d.deaths, e.item] };
    case 'remove':
      return onList(d, e.list, (xs) => removeAt(xs, e.index));
    case 'move':
      return onList(d, e.list, (xs) => moveBy(xs, e.index, e.by));
    case 'confirm':
      return withOverride(d, e.finding, e.reason, e.note);
    case 'unconfirm':
      return withoutOverride(d, e.finding);
  }
}

function reducer(s: State, a: Action): State {
  if (a.type === 'edit') return { ...s, draft: applyEdit(s.draft, a.edit), revision: s.revision + 1 };
  // Keep the user's newer edits; take the store's version, time and status.
  // The verification (issue 13) is set by the save itself, not by an edit: taken from what was stored.
  const draft = { ...s.draft, version: a.saved.version, updatedAt: a.saved.updatedAt, status: a.saved.status, ...(a.saved.verification ? { verification: a.saved.verification } : {}) };
  return { ...s, draft, savedRevision: Math.max(s.savedRevision, a.revision) };
}

export function useDraft(initial: RegistrationDraft, initiallyDirty = false) {
  const [state, dispatch] = useReducer(reducer, { draft: initial, revision: initiallyDirty ? 1 : 0, savedRevision: 0 });
  const edit = useCallback((e: DraftEdit) => dispatch({ type: 'edit', edit: e }), []);
  const saved = useCallback((revision: number, reg: RegistrationDraft) => dispatch({ type: 'saved', revision, saved: reg }), []);
  return { draft: state.draft, revision: state.revision, dirty: state.revision !== state.savedRevision, edit, saved };
}
