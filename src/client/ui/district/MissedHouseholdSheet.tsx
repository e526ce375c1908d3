// Adds a household found in the field (遗漏户) through the db's addFieldHousehold operation,
// which gives it the next free household number. What is typed here and not yet added is unsaved
// input (dirty.ts): the update prompt does not reload over it and leaving the page asks. Closing
// the sheet discards it (the enumerator's choice); once added it is stored, and the report ends
// before onAdded navigates to the new household, so that navigation does not ask.
import { useState, type FormEvent } from 'react';
import { useTranslation, useCodeLabel } from '../../i18n/index.ts';
import { HOUSEHOLD_TYPE } from '../../../domain/index.ts';
import { addFieldHousehold } from '../../db/operations.ts';
import { useServices } from '../services.ts';
import { Sheet } from '../Sheet.tsx';
import { useDirtyTracker, useUnsavedInput } from '../dirty.ts';
import { opFailureText } from '../op-failure.ts';

const EMPTY = { buildingNo: '', unitNo: '', address: '', headName: '', householdType: 1 as 1 | 2 };

export function MissedHouseholdSheet(props: { districtCode: string; onAdded: (listingId: string) => void; onClose: () => void; opener?: HTMLElement | null | undefined }) {
  const { t } = useTranslation();
  const label = useCodeLabel();
  const { db } = useServices();
  const [form, setForm] = useState(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState(false);
  const key = `missed:${props.districtCode}`;
  const typed = form.householdType !== EMPTY.householdType || (['buildingNo', 'unitNo', 'address', 'headName'] as const).some((k) => form[k].trim() !== '');
  useUnsavedInput(key, typed && !added);
  const tracker = useDirtyTracker();
  const set = (k: 'buildingNo' | 'unitNo' | 'address' | 'headName') => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const r = await addFieldHousehold(db, {
      districtCode: props.districtCode,
      buildingNo: form.buildingNo.trim(),
      ...(form.unitNo.trim() ? { unitNo: form.unitNo.trim() } : {}),
      address: form.address.trim(),
      headName: form.headName.trim(),
      householdType: form.householdType,
    });
    setBusy(false);
    if (r.ok) {
      // Stored: clean now, not at unmount, which comes after the navigation's unsaved-input check.
      setAdded(true);
      tracker.set(key, false);
      props.onAdded(r.entry.id);
    } else setError(opFailureText(r, t));
  }

  return (
    <Sheet title={t('missed.title')} onClose={props.onClose} opener={props.opener}>
      <form onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor="m-building">{t('missed.buildingNo')}</label>
          <input id="m-building" data-autofocus value={form.buildingNo} onChange={set('buildingNo')} required maxLength={20} />
        </div>
        <div className="field">
          <label htmlFor="m-unit">{t('missed.unitNo')}</label>
          <input id="m-unit" value={form.unitNo} onChange={set('unitNo')} maxLength={20} />
        </div>
        <div className="field">
          <label htmlFor="m-address">{t('missed.address')}</label>
          <input id="m-address" value={form.address} onChange={set('address')} required maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="m-head">{t('missed.headName')}</label>
          <input id="m-head" value={form.headName} onChange={set('headName')} required maxLength={100} />
        </div>
        <fieldset className="field">
          <legend>{t('missed.householdType')}</legend>
          <div className="choices">
            {HOUSEHOLD_TYPE.map((c) => (
              <label key={c.code}>
                <input type="radio" name="m-type" checked={form.householdType === c.code} onChange={() => setForm({ ...form, householdType: c.code === 2 ? 2 : 1 })} />
                {label(HOUSEHOLD_TYPE, c.code)}
              </label>
            ))}
          </div>
        </fieldset>
        {error && (
          <p className="alert alert-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {t('missed.add')}
        </button>
      </form>
    </Sheet>
  );
}
