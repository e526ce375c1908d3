// Which sections and record cards are open, and "go to the field of this finding": open what holds
// it, then focus it after the next render (a hidden element cannot take focus). Persons are one at
// a time: opening a person's card closes the other persons' cards (they show their summary line).
import { useEffect, useRef, useState } from 'react';
import type { FindingPath, RegistrationDraft } from '../../../domain/index.ts';
import { fieldId, findFieldElement, focusField } from './paths.ts';

export const SECTIONS = ['household', 'persons', 'deaths', 'overseas', 'findings'] as const;
export type SectionKey = (typeof SECTIONS)[number];

const isSection = (x: unknown): x is SectionKey => typeof x === 'string' && (SECTIONS as readonly string[]).includes(x);

type Target = { kind: 'field'; path: FindingPath } | { kind: 'person'; index: number };

export function useJump(draft: RegistrationDraft, initialOpen: readonly string[]) {
  const [sections, setSections] = useState<ReadonlySet<SectionKey>>(() => new Set(['household', 'persons', 'findings']));
  const [cards, setCards] = useState<ReadonlySet<string>>(() => new Set(initialOpen));
  // What to focus once the sections and cards holding it have rendered open.
  const target = useRef<Target | undefined>(undefined);
  const [jumps, setJumps] = useState(0);
  const personIds = new Set(draft.persons.map((x) => x.id));

  useEffect(() => {
    const to = target.current;
    if (!to) return;
    target.current = undefined;
    if (to.kind === 'field') {
      const el = findFieldElement(document, to.path);
      if (el) focusField(el);
      return;
    }
    // Next / previous person: the card's top at the top of the screen, the name ready to type
    // when it is still empty (the card itself takes focus otherwise, so no keyboard pops up).
    const card = document.getElementById(fieldId(['persons', to.index]));
    const name = document.getElementById(fieldId(['persons', to.index, 'name']));
    if (typeof card?.scrollIntoView === 'function') card.scrollIntoView({ block: 'start' });
    const focusable = name instanceof HTMLInputElement && name.value === '' ? name : card;
    focusable?.focus({ preventScroll: true });
  }, [jumps]);

  const toggleSection = (s: SectionKey) =>
    setSections((prev) => {
      const next = new Set(prev);
      if (!next.delete(s)) next.add(s);
      return next;
    });
  /** Opens one person's card and closes the other persons' (cards of other lists stay as they are). */
  const openPerson = (id: string) =>
    setCards((prev) => {
      const next = new Set([...prev].filter((x) => !personIds.has(x)));
      return next.add(id);
    });
  const toggleCard = (id: string) => {
    if (personIds.has(id) && !cards.has(id)) return openPerson(id);
    setCards((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  };
  const openCard = (id: string) => setCards((prev) => new Set(prev).add(id));

  const jumpTo = (path: FindingPath) => {
    const [head, index] = path;
    const section: SectionKey = isSection(head) ? head : 'findings';
    setSections((prev) => new Set(prev).add(section));
    if ((head === 'persons' || head === 'deaths' || head === 'overseas') && typeof index === 'number') {
      const id = draft[head][index]?.id;
      if (id && head === 'persons') openPerson(id);
      else if (id) openCard(id);
    }
    target.current = { kind: 'field', path };
    setJumps((n) => n + 1);
  };

  /** Shows person `index` (an id not yet in the draft may be given for a person just added). */
  const showPerson = (index: number, id = draft.persons[index]?.id) => {
    if (!id) return;
    personIds.add(id);
    openPerson(id);
    target.current = { kind: 'person', index };
    setJumps((n) => n + 1);
  };

  return { sections, cards, toggleSection, toggleCard, openCard, openPerson, showPerson, jumpTo };
}
