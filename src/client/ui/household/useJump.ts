// Which sections and record cards are open, and "go to the field of this finding": open what holds
// it, then focus it after the next render (a hidden element cannot take focus).
import { useEffect, useRef, useState } from 'react';
import type { FindingPath, RegistrationDraft } from '../../../domain/index.ts';
import { findFieldElement, focusField } from './paths.ts';

export const SECTIONS = ['household', 'persons', 'deaths', 'overseas', 'findings'] as const;
export type SectionKey = (typeof SECTIONS)[number];

const isSection = (x: unknown): x is SectionKey => typeof x === 'string' && (SECTIONS as readonly string[]).includes(x);

export function useJump(draft: RegistrationDraft, initialOpen: readonly string[]) {
  const [sections, setSections] = useState<ReadonlySet<SectionKey>>(() => new Set(['household', 'persons', 'findings']));
  const [cards, setCards] = useState<ReadonlySet<string>>(() => new Set(initialOpen));
  // The field to focus once the sections and cards holding it have rendered open.
  const target = useRef<FindingPath | undefined>(undefined);
  const [jumps, setJumps] = useState(0);

  useEffect(() => {
    const path = target.current;
    if (!path) return;
    target.current = undefined;
    const el = findFieldElement(document, path);
    if (el) focusField(el);
  }, [jumps]);

  const toggleSection = (s: SectionKey) =>
    setSections((prev) => {
      const next = new Set(prev);
      if (!next.delete(s)) next.add(s);
      return next;
    });
  const toggleCard = (id: string) =>
    setCards((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const openCard = (id: string) => setCards((prev) => new Set(prev).add(id));

  const jumpTo = (path: FindingPath) => {
    const [head, index] = path;
    const section: SectionKey = isSection(head) ? head : 'findings';
    setSections((prev) => new Set(prev).add(section));
    if ((head === 'persons' || head === 'deaths' || head === 'overseas') && typeof index === 'number') {
      const id = draft[head][index]?.id;
      if (id) openCard(id);
    }
    target.current = path;
    setJumps((n) => n + 1);
  };

  return { sections, cards, toggleSection, toggleCard, openCard, jumpTo };
}
