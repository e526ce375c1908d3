// The respondent's page (/self): plain DOM, no framework, so it loads fast on a slow phone. The
// whole form is drawn from the state on each change that can show or hide an item (focus is put
// back on the same field); typing only updates the state, which is saved at once, so a closed tab
// loses nothing. Codes travel in the body only: the QR code's `#c=` fragment is read, then removed.
import { ITEM_LABELS, deathApplicability, householdApplicability, personApplicability, type Applicability } from '../../domain/applicability.ts';
import * as C from '../../domain/codes.ts';
import { isOverridden } from '../../domain/findings.ts';
import type { Finding } from '../../domain/schemas.ts';
import { normalizeSelfCode } from '../../domain/self-code.ts';
import { STATE_KEY, blockingOf, findingsOf, matchDeaths, newId, newState, parseState, pathKey, setConfirmed, settle, submitBody, type SelfState } from './model.ts';
import { LANG_KEY, formatTime, plainFinding, t, type Lang, type TextKey } from './text.ts';

export interface SelfDeps {
  fetch: typeof fetch;
  storage: Storage;
  random: (b: Uint8Array<ArrayBuffer>) => void;
  location: Location;
  history: History;
}

type Kind = 'select' | 'int' | 'decimal' | 'text' | 'month' | 'place' | 'bySex' | 'id';
interface FieldDef {
  key: string;
  kind: Kind;
  codes?: C.CodeList<number> | C.CodeList<string>;
}

const HOUSEHOLD: FieldDef[] = [
  { key: 'householdType', kind: 'select', codes: C.HOUSEHOLD_TYPE },
  { key: 'residents', kind: 'int' },
  { key: 'hukouHereAbsent', kind: 'int' },
  { key: 'births', kind: 'bySex' },
  { key: 'deaths', kind: 'bySex' },
  { key: 'dwellingType', kind: 'select', codes: C.DWELLING_TYPE },
  { key: 'floorArea', kind: 'decimal' },
  { key: 'rooms', kind: 'int' },
];
const PERSON: FieldDef[] = [
  { key: 'name', kind: 'text' },
  { key: 'relationship', kind: 'select', codes: C.RELATIONSHIP },
  { key: 'citizenId', kind: 'id' },
  { key: 'sex', kind: 'select', codes: C.SEX },
  { key: 'birth', kind: 'month' },
  { key: 'ethnicity', kind: 'select', codes: C.ETHNICITY },
  { key: 'residence', kind: 'select', codes: C.RESIDENCE },
  { key: 'residence.place', kind: 'place' },
  { key: 'hukou', kind: 'select', codes: C.HUKOU },
  { key: 'hukou.place', kind: 'place' },
  { key: 'leftHukouDuration', kind: 'select', codes: C.LEFT_HUKOU_DURATION },
  { key: 'leftHukouReason', kind: 'select', codes: C.LEFT_HUKOU_REASON },
  { key: 'education', kind: 'select', codes: C.EDUCATION },
  { key: 'literate', kind: 'select', codes: C.YES_NO },
];
const DEATH: FieldDef[] = [
  { key: 'name', kind: 'text' },
  { key: 'sex', kind: 'select', codes: C.SEX },
  { key: 'birth', kind: 'month' },
  { key: 'death', kind: 'month' },
  { key: 'ethnicity', kind: 'select', codes: C.ETHNICITY },
  { key: 'citizenId', kind: 'id' },
  { key: 'education', kind: 'select', codes: C.EDUCATION },
  { key: 'marital', kind: 'select', codes: C.MARITAL },
];
/** Items whose answer is a `{ code, place? }` object. */
const CODED = new Set(['residence', 'hukou']);

type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** A stored answer as the text of its input. */
const shown = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** The value a field shows, from the state object it belongs to. */
function readValue(obj: Json, key: string): unknown {
  if (key.endsWith('.place')) {
    const outer = obj[key.slice(0, -6)];
    return isObj(outer) ? outer.place : undefined;
  }
  const v = obj[key];
  return CODED.has(key) && isObj(v) ? v.code : v;
}

export function startSelfPage(root: HTMLElement, deps: SelfDeps): { state: () => SelfState | undefined } {
  let lang: Lang = deps.storage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh';
  let state: SelfState | undefined = parseState(deps.storage.getItem(STATE_KEY));
  let notice: { key: TextKey; kind: 'error' | 'info' } | undefined;
  let codeError: TextKey | undefined;
  let attempted = false;
  let busy = false;
  const touched = new Set<string>();
  const filledFromId = new Set<string>();
  let serverDetails = new Map<string, string>();
  let removing: string | undefined;

  const save = () => {
    if (state) deps.storage.setItem(STATE_KEY, JSON.stringify(state));
  };

  // The QR code opens /self#c=CODE: take the code, then drop it from the address bar and history.
  const fromHash = /(?:^#|&)c=([^&]*)/.exec(deps.location.hash)?.[1];
  if (fromHash !== undefined) {
    deps.history.replaceState(null, '', deps.location.pathname + deps.location.search);
    const code = normalizeSelfCode(decodeURIComponent(fromHash));
    if (code && state?.code !== code) {
      state = newState(code, deps.random);
      save();
    } else if (!code) codeError = 'codeMalformed';
  }

  async function post(path: string, body: unknown): Promise<{ status: number; json: unknown } | 'offline'> {
    try {
      const r = await deps.fetch(`/api/v1/self/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'omit' });
      let json: unknown;
      try {
        json = await r.json();
      } catch {
        json = undefined;
      }
      return { status: r.status, json };
    } catch {
      return 'offline';
    }
  }

  const failure = (r: { status: number } | 'offline'): { key: TextKey; kind: 'error' } =>
    r === 'offline' ? { key: 'offline', kind: 'error' } : r.status === 401 ? { key: 'refused', kind: 'error' } : r.status === 429 ? { key: 'limited', kind: 'error' } : { key: 'serverError', kind: 'error' };

  async function openSession(s: SelfState): Promise<void> {
    if (s.submittedAt) return;
    const r = await post('session', { code: s.code });
    if (r !== 'offline' && r.status === 200 && isObj(r.json) && typeof r.json.address === 'string') {
      s.address = r.json.address;
      if (typeof r.json.deadline === 'string') s.deadline = r.json.deadline;
      notice = undefined;
      save();
    } else if (r !== 'offline' && r.status === 401) {
      // A code that cannot be used: forget it and the form (nothing was submitted with it).
      deps.storage.removeItem(STATE_KEY);
      state = undefined;
      codeError = 'refused';
    } else notice = failure(r);
    render();
  }

  async function submit(): Promise<void> {
    const s = state;
    if (!s || busy) return;
    attempted = true;
    serverDetails = new Map();
    if (blockingOf(s).length > 0) {
      render();
      root.querySelector<HTMLElement>('[aria-invalid="true"], .summary')?.focus();
      return;
    }
    busy = true;
    render();
    const r = await post('submit', submitBody(s));
    busy = false;
    if (r !== 'offline' && r.status === 200 && isObj(r.json) && typeof r.json.submittedAt === 'string') {
      s.submittedAt = r.json.submittedAt;
      notice = undefined;
      save();
    } else if (r !== 'offline' && r.status === 422 && isObj(r.json) && isObj(r.json.error) && Array.isArray(r.json.error.details)) {
      for (const d of r.json.error.details) if (isObj(d) && Array.isArray(d.path) && typeof d.message === 'string') serverDetails.set(pathKey(d.path as (string | number)[]), d.message);
      notice = { key: 'toFix', kind: 'error' };
    } else notice = failure(r);
    render();
    root.querySelector<HTMLElement>('.notice, .done')?.focus();
  }

  // ---- drawing ----

  function header(): HTMLElement {
    const sw = el('button', { type: 'button', class: 'lang', lang: lang === 'zh' ? 'en' : 'zh' }, t(lang, 'switchTo'));
    sw.addEventListener('click', () => {
      lang = lang === 'zh' ? 'en' : 'zh';
      deps.storage.setItem(LANG_KEY, lang);
      render();
    });
    return el('header', {}, el('h1', {}, t(lang, 'title')), sw);
  }

  function codeForm(): HTMLElement {
    const input = el('input', { id: 'code', name: 'code', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', 'aria-describedby': 'code-help code-error' });
    const form = el(
      'form',
      { class: 'code-form', novalidate: '' },
      el('h2', {}, t(lang, 'codeHeading')),
      el('p', { id: 'code-help' }, t(lang, 'codeHelp')),
      el('label', { for: 'code' }, t(lang, 'codeLabel')),
      input,
      el('p', { id: 'code-error', class: 'finding error', role: 'alert' }, codeError ? t(lang, codeError) : ''),
      el('button', { type: 'submit', class: 'primary' }, t(lang, 'codeOpen')),
    );
    if (codeError) input.setAttribute('aria-invalid', 'true');
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const code = normalizeSelfCode(input.value);
      if (!code) {
        codeError = 'codeMalformed';
        render();
        return;
      }
      codeError = undefined;
      state = newState(code, deps.random);
      void openSession(state);
    });
    return form;
  }

  function labelOf(key: string, scope: 'household' | 'person' | 'death'): string {
    // The death form words two items apart from the person form's (no "at the census moment").
    if (scope === 'death' && key === 'birth') return t(lang, 'deathBirth');
    if (scope === 'death' && key === 'marital') return t(lang, 'deathMarital');
    return ITEM_LABELS[key]?.[lang] ?? key;
  }

  /** The findings shown at a field: all after a submit attempt, before it only on fields already answered. */
  function messagesFor(base: string, nested: boolean, findings: readonly Finding[], s: SelfState, disabled: boolean): { nodes: HTMLElement[]; invalid: boolean } {
    const nodes: HTMLElement[] = [];
    let invalid = false;
    if (disabled) return { nodes, invalid };
    for (const f of findings) {
      const k = pathKey(f.path);
      // A place or a male/female pair also shows what is found at its parts.
      if (k !== base && !(nested && k.startsWith(`${base}.`))) continue;
      if (!attempted && !touched.has(base)) continue;
      const id = `m-${k}-${f.rule}`;
      const confirmed = f.severity === 'warning' && isOverridden(f, s.overrides);
      if (!confirmed) invalid = true;
      const p = el('div', { class: `finding ${f.severity}`, id }, el('span', {}, plainFinding(f, lang)));
      if (f.severity === 'warning') {
        const box = el('input', { type: 'checkbox', id: `${id}-ok` });
        box.checked = confirmed;
        box.addEventListener('change', () => {
          setConfirmed(s, f, box.checked);
          save();
          render();
        });
        p.append(el('label', { class: 'confirm' }, box, t(lang, 'confirm')));
      }
      nodes.push(p);
    }
    const server = serverDetails.get(base);
    if (server !== undefined) {
      invalid = true;
      nodes.push(el('div', { class: 'finding error', id: `m-${base}-server` }, t(lang, 'serverField', { message: server })));
    }
    return { nodes, invalid };
  }

  function field(obj: Json, def: FieldDef, base: string, scope: 'household' | 'person' | 'death', a: Applicability, findings: readonly Finding[], s: SelfState, disabled: boolean): HTMLElement | undefined {
    if (a === 'absent') return undefined;
    // A place is only asked once its code says "another county"; before that the parent item is
    // unanswered and applicability is merely 'optional', which would show three empty boxes.
    if (def.kind === 'place' && a !== 'required' && !isObj(readValue(obj, def.key))) return undefined;
    const id = `f-${base}`;
    const { nodes, invalid } = messagesFor(base, def.kind === 'place' || def.kind === 'bySex', findings, s, disabled);
    const describedBy = nodes.map((n) => n.id).join(' ');
    const value = readValue(obj, def.key);
    const wrap = el('div', { class: 'field' });
    const mark = (input: HTMLElement) => {
      if (invalid) input.setAttribute('aria-invalid', 'true');
      if (describedBy) input.setAttribute('aria-describedby', describedBy);
      if (disabled) input.setAttribute('disabled', '');
      input.dataset.path = base;
      input.dataset.kind = def.kind;
      return input;
    };
    const label = labelOf(def.key, scope);
    if (def.kind === 'place' || def.kind === 'bySex') {
      const parts: [string, TextKey][] = def.kind === 'place' ? [['province', 'province'], ['city', 'city'], ['county', 'county']] : [['male', 'male'], ['female', 'female']];
      const fs = el('fieldset', { id }, el('legend', {}, label));
      for (const [part, text] of parts) {
        const v = isObj(value) ? value[part] : undefined;
        const input = mark(el('input', { id: `${id}.${part}`, inputmode: def.kind === 'bySex' ? 'numeric' : 'text', autocomplete: 'off' }));
        (input as HTMLInputElement).value = shown(v);
        input.dataset.part = part;
        fs.append(el('label', { for: `${id}.${part}`, class: 'part' }, t(lang, text), input));
      }
      wrap.append(fs);
    } else if (def.kind === 'select') {
      const select = mark(el('select', { id })) as HTMLSelectElement;
      select.append(el('option', { value: '' }, t(lang, 'choose')));
      for (const c of def.codes ?? []) select.append(el('option', { value: String(c.code) }, `${c[lang]}`));
      select.value = shown(value);
      wrap.append(el('label', { for: id }, label), select);
    } else {
      const attrs: Record<string, string> = { id, autocomplete: 'off' };
      if (def.kind === 'int') attrs.inputmode = 'numeric';
      if (def.kind === 'decimal') attrs.inputmode = 'decimal';
      if (def.kind === 'id') Object.assign(attrs, { autocapitalize: 'characters', spellcheck: 'false', maxlength: '20' });
      if (def.kind === 'month') Object.assign(attrs, { type: 'month', min: '1900-01', max: '2020-10' });
      if (def.kind === 'text') attrs.maxlength = '100';
      const input = mark(el('input', attrs)) as HTMLInputElement;
      input.value = shown(value);
      wrap.append(el('label', { for: id }, label), input);
      if (def.kind === 'id' && filledFromId.has(base)) wrap.append(el('p', { class: 'hint' }, t(lang, 'idFilled')));
    }
    wrap.append(...nodes);
    return wrap;
  }

  function section(title: string, help: string | undefined, ...children: Node[]): HTMLElement {
    return el('section', {}, el('h2', {}, title), ...(help ? [el('p', { class: 'help' }, help)] : []), ...children);
  }

  function formView(s: SelfState): HTMLElement[] {
    const done = s.submittedAt !== undefined;
    const findings = done ? [] : findingsOf(s);
    const out: HTMLElement[] = [];
    if (done) out.push(el('div', { class: 'done', role: 'status', tabindex: '-1' }, el('p', {}, t(lang, 'submitted', { at: formatTime(s.submittedAt ?? '', lang) })), el('p', {}, t(lang, 'readOnly'))));
    out.push(el('p', { class: 'address' }, el('strong', {}, `${t(lang, 'address')}：`), s.address ?? ''));
    if (!done && s.deadline) out.push(el('p', { class: 'help' }, t(lang, 'deadline', { date: formatTime(s.deadline, lang) })));

    const ha = householdApplicability(s.household, 'short');
    out.push(section(t(lang, 'householdHeading'), undefined, ...HOUSEHOLD.flatMap((d) => field(s.household as Json, d, `household.${d.key}`, 'household', ha[d.key as keyof typeof ha], findings, s, done) ?? [])));

    const people = s.persons.map((p, i) => {
      const pa = personApplicability(p, 'short');
      const box = el('fieldset', { class: 'member', id: `person-${i}` }, el('legend', {}, t(lang, 'person', { n: i + 1 })));
      box.append(...PERSON.flatMap((d) => field(p as Json, d, `persons.${i}.${d.key}`, 'person', pa[d.key as keyof typeof pa], findings, s, done) ?? []));
      if (!done && s.persons.length > 1) box.append(removeButton(`persons.${i}`, () => s.persons.splice(i, 1)));
      return box;
    });
    const add = el('button', { type: 'button', class: 'secondary', id: 'add-person' }, t(lang, 'addPerson'));
    add.addEventListener('click', () => {
      s.persons.push({ id: newId('p', deps.random) });
      save();
      render();
      root.querySelector<HTMLElement>(`#f-persons\\.${s.persons.length - 1}\\.name`)?.focus();
    });
    out.push(section(t(lang, 'personsHeading'), done ? undefined : t(lang, 'personsHelp'), ...people, ...(done ? [] : [add])));

    if (s.deaths.length > 0) {
      const deaths = s.deaths.map((d, i) => {
        const da = deathApplicability(d);
        const box = el('fieldset', { class: 'member', id: `death-${i}` }, el('legend', {}, t(lang, 'death', { n: i + 1 })));
        box.append(...DEATH.flatMap((def) => field(d as Json, def, `deaths.${i}.${def.key}`, 'death', da[def.key as keyof typeof da], findings, s, done) ?? []));
        return box;
      });
      out.push(section(t(lang, 'deathsHeading'), done ? undefined : t(lang, 'deathsHelp'), ...deaths));
    }

    if (!done) {
      const blocking = blockingOf(s, findings);
      if (attempted && blocking.length > 0) {
        const list = el('ul', {});
        for (const f of blocking) {
          const k = pathKey(f.path);
          const target = root.ownerDocument.getElementById(`f-${k}`) ? `f-${k}` : `f-${k.split('.').slice(0, -1).join('.')}`;
          list.append(el('li', {}, el('a', { href: `#${target}` }, `${where(k)}：${plainFinding(f, lang)}`)));
        }
        out.push(el('div', { class: 'summary', role: 'alert', tabindex: '-1' }, el('p', {}, t(lang, 'toFix', { n: blocking.length })), list));
      }
      const button = el('button', { type: 'button', class: 'primary', id: 'submit' }, t(lang, busy ? 'submitting' : 'submit'));
      if (busy) button.setAttribute('disabled', '');
      button.addEventListener('click', () => void submit());
      out.push(el('div', { class: 'actions' }, el('p', { class: 'help' }, t(lang, 'saved')), button));
    }
    return out;
  }

  /** "第 2 人 · 公民身份号码" for the summary list. */
  function where(key: string): string {
    const [scope, index, item] = key.split('.');
    const n = Number(index) + 1;
    const label = ITEM_LABELS[item ?? ''] ?? ITEM_LABELS[index ?? ''];
    const name = label ? label[lang] : '';
    if (scope === 'persons') return `${t(lang, 'person', { n })}${name ? ` · ${name}` : ''}`;
    if (scope === 'deaths') return `${t(lang, 'death', { n })}${name ? ` · ${name}` : ''}`;
    return name || t(lang, 'householdHeading');
  }

  function removeButton(key: string, remove: () => void): HTMLElement {
    const b = el('button', { type: 'button', class: 'danger-link', id: `remove-${key}` }, t(lang, removing === key ? 'removeConfirm' : 'removePerson'));
    b.addEventListener('click', () => {
      if (removing !== key) {
        removing = key;
        render();
        root.querySelector<HTMLElement>(`#remove-${key.replace('.', '\\.')}`)?.focus();
        return;
      }
      removing = undefined;
      remove();
      save();
      render();
    });
    return b;
  }

  function render(): void {
    const active = root.ownerDocument.activeElement;
    const focusId = active && root.contains(active) ? active.id : '';
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t(lang, 'title');
    const main = el('main', {});
    if (notice) main.append(el('div', { class: `notice ${notice.kind}`, role: 'alert', tabindex: '-1' }, t(lang, notice.key, { n: serverDetails.size })));
    if (!state) main.append(codeForm());
    else if (state.address === undefined && !state.submittedAt) main.append(el('p', { class: 'help', role: 'status' }, '…'));
    else main.append(...formView(state));
    root.replaceChildren(header(), main);
    if (focusId) root.ownerDocument.getElementById(focusId)?.focus();
  }

  // ---- answers ----

  function parseInput(kind: string, raw: string): unknown {
    const v = raw.trim();
    if (v === '') return undefined;
    if (kind === 'int' || kind === 'bySex') return /^\d+$/.test(v) ? Number(v) : v;
    if (kind === 'decimal') return /^\d+(\.\d+)?$/.test(v) ? Number(v) : v;
    return kind === 'id' ? raw.replace(/\s+/g, '').toUpperCase() : raw;
  }

  /** Writes a field's value into the state; returns the path of the object it changed. */
  function write(target: HTMLInputElement | HTMLSelectElement): string | undefined {
    const s = state;
    const path = target.dataset.path;
    const kind = target.dataset.kind ?? '';
    if (!s || !path) return undefined;
    const [scope, ...rest] = path.split('.');
    let obj: Json | undefined;
    let key: string;
    if (scope === 'household') {
      obj = s.household;
      key = rest.join('.');
    } else {
      const list = scope === 'persons' ? s.persons : s.deaths;
      obj = list[Number(rest[0])];
      key = rest.slice(1).join('.');
    }
    if (!obj) return undefined;
    let value: unknown;
    if (kind === 'select') {
      const list = [...HOUSEHOLD, ...PERSON, ...DEATH].find((d) => d.key === key)?.codes ?? [];
      const hit = list.find((c) => String(c.code) === target.value);
      value = hit?.code;
    } else value = parseInput(kind, target.value);
    const part = target.dataset.part;
    if (key.endsWith('.place') && part) {
      const outerKey = key.slice(0, -6);
      const outer = obj[outerKey];
      if (!isObj(outer)) return path;
      const place: Json = isObj(outer.place) ? { ...outer.place } : {};
      if (value === undefined || value === '') delete place[part];
      else place[part] = value;
      if (Object.keys(place).length === 0) delete outer.place;
      else outer.place = place;
    } else if (part) {
      const pair: Json = isObj(obj[key]) ? { ...(obj[key] as Json) } : {};
      pair[part] = value;
      if (pair.male === undefined && pair.female === undefined) delete obj[key];
      else obj[key] = { male: pair.male ?? 0, female: pair.female ?? 0 };
    } else if (CODED.has(key)) {
      if (value === undefined) delete obj[key];
      else {
        const prev = obj[key];
        obj[key] = isObj(prev) ? { ...prev, code: value } : { code: value };
      }
    } else if (value === undefined) delete obj[key];
    else obj[key] = value;
    return path;
  }

  root.addEventListener('input', (e) => {
    const target = e.target;
    if (!(target instanceof HTMLInputElement) || target.type === 'checkbox' || !state || state.submittedAt) return;
    write(target);
    save();
  });
  root.addEventListener('change', (e) => {
    const target = e.target;
    if (!(target instanceof HTMLInputElement || target instanceof HTMLSelectElement) || (target instanceof HTMLInputElement && target.type === 'checkbox')) return;
    const s = state;
    if (!s || s.submittedAt) return;
    const path = write(target);
    if (!path) return;
    touched.add(path);
    serverDetails.delete(path);
    const [scope, index] = path.split('.');
    const kind: 'persons' | 'deaths' | undefined = scope === 'persons' ? 'persons' : scope === 'deaths' ? 'deaths' : undefined;
    const idChanged = target.dataset.kind === 'id' && kind ? { kind, index: Number(index) } : undefined;
    const before = idChanged ? JSON.stringify([s.persons[idChanged.index]?.birth, s.persons[idChanged.index]?.sex]) : '';
    settle(s, idChanged);
    if (idChanged && scope === 'persons' && before !== JSON.stringify([s.persons[idChanged.index]?.birth, s.persons[idChanged.index]?.sex])) filledFromId.add(path);
    matchDeaths(s, deps.random);
    save();
    // After the change event the focus has moved on (Tab, or the next tap): draw, then put it back.
    setTimeout(render, 0);
  });

  render();
  if (state && !state.submittedAt) void openSession(state);
  return { state: () => state };
}
