// The self-enumeration code made at the door (issue 13): the code is made and its hash queued
// on this phone, offline, and shown here once with a QR code of the respondent's page. Loaded
// lazily with the QR library: most visits never open it.
import { useEffect, useRef, useState } from 'react';
import QRCode from 'qrcode';
import { formatSelfCode, selfCodeUrl, type ListingEntry } from '../../../domain/index.ts';
import { useTranslation } from '../../i18n/index.ts';
import { issueSelfCode, type SelfCodeResult } from '../../db/operations.ts';
import type { PuchaDb } from '../../db/database.ts';
import { opFailureText } from '../op-failure.ts';
import { Sheet } from '../Sheet.tsx';

type State = { kind: 'making' } | { kind: 'shown'; code: string; svg: string } | { kind: 'failed'; message: string };

export function SelfCodeSheet(props: { db: PuchaDb; entry: ListingEntry; origin: string; onClose: () => void; opener?: HTMLElement | null | undefined }) {
  const { t } = useTranslation();
  const [state, setState] = useState<State>({ kind: 'making' });
  const { db, entry, origin } = props;
  // One code per opening of the sheet: kept in a ref, so a re-run of the effect (React's strict
  // mode mounts twice) shows the same code instead of making another.
  const issued = useRef<Promise<SelfCodeResult> | undefined>(undefined);
  useEffect(() => {
    let live = true;
    issued.current ??= issueSelfCode(db, entry.id);
    const pending = issued.current;
    void (async () => {
      const r = await pending;
      if (!live) return;
      if (!r.ok) return setState({ kind: 'failed', message: opFailureText(r, t) });
      const svg = await QRCode.toString(selfCodeUrl(origin, r.code), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      if (live) setState({ kind: 'shown', code: r.code, svg });
    })();
    return () => {
      live = false;
    };
  }, [db, entry.id, origin, t]);
  return (
    <Sheet title={t('self.title', { no: entry.householdNo })} onClose={props.onClose} opener={props.opener}>
      <div className="stack" data-testid="self-code-sheet">
        {state.kind === 'making' && <p aria-live="polite">{t('self.making')}</p>}
        {state.kind === 'failed' && (
          <p className="alert alert-error" role="alert">
            {state.message}
          </p>
        )}
        {state.kind === 'shown' && (
          <>
            {/* The SVG is the QR library's own markup of a URL made here: no user input in it. */}
            <div className="self-qr" role="img" aria-label={t('self.qrLabel')} dangerouslySetInnerHTML={{ __html: state.svg }} />
            <p className="self-code" data-testid="self-code" translate="no">
              {formatSelfCode(state.code)}
            </p>
            <p>{t('self.scan', { url: `${origin.replace(/^https?:\/\//, '')}/self` })}</p>
            <p className="muted">{t('self.once')}</p>
          </>
        )}
      </div>
    </Sheet>
  );
}
