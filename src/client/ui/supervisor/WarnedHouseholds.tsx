// The households of a district with unconfirmed warnings: each with its warnings (rule id and the
// catalogue's message in the user's language, and the person it is about), a button that opens
// the household (its members and warnings, read from the JSON export) and one to query it.
import { useState } from 'react';
import { useTranslation, useCodeLabel } from '../../i18n/index.ts';
import { RELATIONSHIP, SEX, type Finding, type RegistrationDraft } from '../../../domain/index.ts';
import { Sheet } from '../Sheet.tsx';

export interface WarnedHousehold {
  reg: RegistrationDraft;
  findings: readonly Finding[];
}

const headOf = (reg: RegistrationDraft) => (reg.persons.find((p) => p.relationship === 0) ?? reg.persons[0])?.name ?? '';

function FindingLines(props: { reg: RegistrationDraft; findings: readonly Finding[] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language.startsWith('zh') ? 'zh' : 'en';
  return (
    <ul className="warned-findings">
      {props.findings.map((f, i) => {
        const [part, index] = f.path;
        const person = part === 'persons' && typeof index === 'number' ? props.reg.persons[index] : undefined;
        return (
          <li key={`${f.rule}-${i}`} data-rule={f.rule}>
            <code>{f.rule}</code> {person && index !== undefined ? `${t('warned.person', { n: Number(index) + 1, name: person.name ?? '' })}: ` : ''}
            {f.message[lang]}
          </li>
        );
      })}
    </ul>
  );
}

export function WarnedHouseholds(props: { households: readonly WarnedHousehold[]; onQuery: (registrationId: string) => void }) {
  const { t } = useTranslation();
  const label = useCodeLabel();
  const [open, setOpen] = useState<WarnedHousehold | null>(null);
  return (
    <>
      <ul className="list">
        {props.households.map((h) => {
          const no = t('queries.household', { no: h.reg.householdNo });
          return (
            <li key={h.reg.id} className="warned-item" data-testid="warned-household" data-no={h.reg.householdNo}>
              <div className="title">
                {no} · {headOf(h.reg)} <span className="badge badge-warn">{t('warned.warnings', { count: h.findings.length })}</span>
              </div>
              <FindingLines reg={h.reg} findings={h.findings} />
              <div className="row">
                <button type="button" className="btn btn-small" onClick={() => setOpen(h)}>
                  {t('warned.open')}
                  <span className="visually-hidden"> {no}</span>
                </button>
                <button type="button" className="btn btn-small" onClick={() => props.onQuery(h.reg.id)}>
                  {t('supervisor.newQuery')}
                  <span className="visually-hidden"> {no}</span>
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      {open && (
        <Sheet title={t('warned.household', { no: open.reg.householdNo, name: headOf(open.reg) })} onClose={() => setOpen(null)}>
          <div className="stack" data-testid="warned-sheet">
            <h3>{t('warned.persons')}</h3>
            <ol className="warned-persons">
              {open.reg.persons.map((p, i) => (
                <li key={p.id}>
                  {[p.name, label(RELATIONSHIP, p.relationship), label(SEX, p.sex), p.birth].filter(Boolean).join(' · ') || t('warned.person', { n: i + 1, name: '' })}
                </li>
              ))}
            </ol>
            <h3>{t('supervisor.withWarnings')}</h3>
            <FindingLines reg={open.reg} findings={open.findings} />
            <button
              type="button"
              className="btn btn-primary btn-block"
              onClick={() => {
                props.onQuery(open.reg.id);
                setOpen(null);
              }}
            >
              {t('warned.query')}
            </button>
          </div>
        </Sheet>
      )}
    </>
  );
}
