// A collapsible part of the form. Collapsed content stays mounted (hidden), so half-typed input
// in it survives collapsing; the header is a real button with aria-expanded.
import type { ReactNode } from 'react';

export interface SectionProps {
  id: string;
  title: string;
  open: boolean;
  onToggle: () => void;
  badge?: ReactNode;
  children: ReactNode;
}

export function Section({ id, title, open, onToggle, badge, children }: SectionProps) {
  const bodyId = `${id}-body`;
  return (
    <section className="hh-section card" id={id} tabIndex={-1} aria-labelledby={`${id}-title`}>
      <h2 className="hh-section-title" id={`${id}-title`}>
        <button type="button" className="hh-section-toggle" aria-expanded={open} aria-controls={bodyId} onClick={onToggle}>
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> {title} {badge}
        </button>
      </h2>
      <div id={bodyId} hidden={!open}>
        {children}
      </div>
    </section>
  );
}
