// The respondent's page (/self, issue 13) in jsdom: the code from the QR fragment, the edit checks
// at the fields in plain words, the ID number filling birth and sex, confirmable warnings, resuming
// from the browser's storage, one submission id across retries, read-only after submitting, and the
// server's refusals and field errors shown where they belong.
import { fireEvent } from '@testing-library/dom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomFillSync } from 'node:crypto';
import { makeCitizenId } from '../../../src/domain/citizen-id.ts';
import { STATE_KEY, parseState } from '../../../src/client/self/model.ts';
import { startSelfPage } from '../../../src/client/self/page.ts';
import { LANG_KEY } from '../../../src/client/self/text.ts';

const CODE = '7K3M9QWXR2TB5HND';
const ADDRESS = '幸福路12号3单元402室';

type Reply = { status: number; body?: unknown } | 'offline';
interface Call {
  url: string;
  body: Record<string, unknown>;
}

function fakeServer() {
  const calls: Call[] = [];
  const replies: Record<string, Reply[]> = { session: [], submit: [] };
  const fallback: Record<string, Reply> = {
    session: { status: 200, body: { address: ADDRESS, form: 'short', formVersion: '2020-short-1', deadline: '2020-11-05T16:00:00.000Z' } },
    submit: { status: 200, body: { submittedAt: '2020-11-03T02:05:00.000Z' } },
  };
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const body = JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as Record<string, unknown>;
    calls.push({ url, body });
    const kind = url.endsWith('/session') ? 'session' : 'submit';
    const r = replies[kind]?.shift() ?? fallback[kind] ?? 'offline';
    await Promise.resolve();
    if (r === 'offline') throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify(r.body ?? {}), { status: r.status, headers: { 'content-type': 'application/json' } });
  };
  return { calls, replies, fetch };
}

const tick = () => new Promise<void>((r) => setTimeout(r, 0));
async function settle() {
  for (let i = 0; i < 5; i++) await tick();
}
const byId = (id: string) => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`no #${id}`);
  return e;
};
const exists = (id: string) => document.getElementById(id) !== null;

/** Types into a field as a user would: input while typing, change on leaving it. */
async function set(id: string, value: string) {
  const e = byId(id) as HTMLInputElement | HTMLSelectElement;
  e.focus();
  e.value = value;
  fireEvent.input(e);
  fireEvent.change(e);
  await settle();
}

let root: HTMLElement;
let server: ReturnType<typeof fakeServer>;

function open(hash = '') {
  window.history.replaceState(null, '', `/self${hash}`);
  return startSelfPage(root, { fetch: server.fetch, storage: window.localStorage, random: (b) => randomFillSync(b), location: window.location, history: window.history });
}
/** A fresh page on the same storage: a reload, or the tab killed and opened again. */
function reopen(hash = '') {
  root.remove();
  root = document.createElement('div');
  document.body.append(root);
  return open(hash);
}

const HEAD_ID = makeCitizenId('110101', '1980-05-12', 1, 1);
const SPOUSE_ID = makeCitizenId('110101', '1982-03-08', 2, 2);

async function fillHousehold() {
  await set('f-household.householdType', '1');
  await set('f-household.residents', '3');
  await set('f-household.hukouHereAbsent', '0');
  await set('f-household.births.male', '0');
  await set('f-household.births.female', '0');
  await set('f-household.deaths.male', '0');
  await set('f-household.deaths.female', '0');
  await set('f-household.dwellingType', '1');
  await set('f-household.floorArea', '90');
  await set('f-household.rooms', '3');
}

async function fillPerson(i: number, p: { name: string; rel: string; id?: string; sex?: string; birth?: string; edu: string; literate?: string }) {
  if (i > 0) {
    fireEvent.click(byId('add-person'));
    await settle();
  }
  await set(`f-persons.${i}.name`, p.name);
  await set(`f-persons.${i}.relationship`, p.rel);
  if (p.id) await set(`f-persons.${i}.citizenId`, p.id);
  if (p.sex) await set(`f-persons.${i}.sex`, p.sex);
  if (p.birth) await set(`f-persons.${i}.birth`, p.birth);
  await set(`f-persons.${i}.ethnicity`, '01');
  await set(`f-persons.${i}.residence`, '1');
  await set(`f-persons.${i}.hukou`, '1');
  await set(`f-persons.${i}.leftHukouDuration`, '1');
  await set(`f-persons.${i}.education`, p.edu);
  if (p.literate) await set(`f-persons.${i}.literate`, p.literate);
}

beforeEach(() => {
  window.localStorage.clear();
  server = fakeServer();
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  root.remove();
});

describe('the respondent page', () => {
  it('[SP1] takes the code from the QR fragment, removes it from the address bar, and shows only the address', async () => {
    open(`#c=${CODE.toLowerCase().replace(/(.{4})/g, '$1-')}`);
    expect(window.location.hash).toBe('');
    expect(window.location.pathname).toBe('/self');
    await settle();
    expect(server.calls).toEqual([{ url: '/api/v1/self/session', body: { code: CODE } }]);
    expect(root.querySelector('.address')?.textContent).toContain(ADDRESS);
    expect(root.textContent).toContain('本户情况');
    // the code is kept for the respondent only, never in the URL
    expect(parseState(window.localStorage.getItem(STATE_KEY))?.code).toBe(CODE);
  });

  it('[SP2] a code typed by hand: a malformed one is refused at the field, a refused one gets the one message and nothing is kept', async () => {
    open();
    expect(exists('code')).toBe(true);
    (byId('code') as HTMLInputElement).value = 'ABC';
    fireEvent.submit(byId('code').closest('form') as HTMLFormElement);
    await settle();
    expect(byId('code-error').textContent).toContain('16位');
    expect(byId('code').getAttribute('aria-invalid')).toBe('true');
    expect(server.calls).toHaveLength(0);
    server.replies.session?.push({ status: 401, body: { error: { code: 'unauthorized', message: 'x', details: [] } } });
    (byId('code') as HTMLInputElement).value = CODE;
    fireEvent.submit(byId('code').closest('form') as HTMLFormElement);
    await settle();
    expect(byId('code-error').textContent).toContain('无法使用');
    expect(window.localStorage.getItem(STATE_KEY)).toBeNull();
  });

  it('[SP3] a wrong ID number is caught at its field in plain words; a valid one fills birth and sex', async () => {
    open(`#c=${CODE}`);
    await settle();
    const wrong = `${HEAD_ID.slice(0, 17)}${HEAD_ID[17] === '0' ? '1' : '0'}`;
    await set('f-persons.0.citizenId', wrong);
    const input = byId('f-persons.0.citizenId');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const described = (input.getAttribute('aria-describedby') ?? '').split(' ').map((id) => byId(id).textContent).join(' ');
    expect(described).toContain('校验位');
    expect((byId('f-persons.0.birth') as HTMLInputElement).value).toBe('');
    await set('f-persons.0.citizenId', HEAD_ID.toLowerCase());
    expect(byId('f-persons.0.citizenId').getAttribute('aria-invalid')).toBeNull();
    expect((byId('f-persons.0.birth') as HTMLInputElement).value).toBe('1980-05');
    expect((byId('f-persons.0.sex') as HTMLSelectElement).value).toBe('1');
    expect(root.textContent).toContain('已按身份证号码填写');
    // the focus went back to the field after the form was redrawn
    expect(document.activeElement?.id).toBe('f-persons.0.citizenId');
  });

  it('[SP4] skip rules: another county asks for the place, a changed answer drops what is no longer asked', async () => {
    open(`#c=${CODE}`);
    await settle();
    expect(exists('f-persons.0.hukou.place')).toBe(false);
    await set('f-persons.0.hukou', '4');
    expect(exists('f-persons.0.hukou.place')).toBe(true);
    await set('f-persons.0.hukou.place.province', '河北省');
    expect(parseState(window.localStorage.getItem(STATE_KEY))?.persons[0]?.hukou).toEqual({ code: 4, place: { province: '河北省' } });
    // an incomplete place is found once the field was answered
    expect(byId('f-persons.0.hukou.place').textContent).toContain('省、市、县');
    await set('f-persons.0.hukou', '1');
    expect(exists('f-persons.0.hukou.place')).toBe(false);
    expect(parseState(window.localStorage.getItem(STATE_KEY))?.persons[0]?.hukou).toEqual({ code: 1 });
    // H4 deaths open one death form each
    expect(exists('death-0')).toBe(false);
    await set('f-household.deaths.female', '1');
    expect([exists('death-0'), exists('death-1')]).toEqual([true, false]);
    await set('f-household.deaths.female', '0');
    expect(exists('death-0')).toBe(false);
  });

  it('[SP5] what was typed survives the tab being killed, before the field is even left', async () => {
    open(`#c=${CODE}`);
    await settle();
    await set('f-household.residents', '3');
    const name = byId('f-persons.0.name') as HTMLInputElement;
    name.value = '张伟';
    fireEvent.input(name); // no change event: the tab dies while typing
    reopen();
    await settle();
    expect((byId('f-persons.0.name') as HTMLInputElement).value).toBe('张伟');
    expect((byId('f-household.residents') as HTMLInputElement).value).toBe('3');
    expect(root.querySelector('.address')?.textContent).toContain(ADDRESS);
  });

  it('[SP6] submit: blocked findings listed and nothing sent; a warning confirmed as correct; retried with the same id; read-only after', async () => {
    open(`#c=${CODE}`);
    await settle();
    fireEvent.click(byId('submit'));
    await settle();
    expect(root.querySelector('.summary')?.textContent).toContain('请先改正或确认');
    expect(server.calls.filter((c) => c.url.endsWith('/submit'))).toHaveLength(0);

    await fillHousehold();
    await fillPerson(0, { name: '张伟', rel: '0', id: HEAD_ID, edu: '7', literate: '1' });
    await fillPerson(1, { name: '李娜', rel: '1', id: SPOUSE_ID, edu: '7', literate: '1' });
    // the head is only 14 years older than this child: a warning (6C.6) to confirm
    await fillPerson(2, { name: '张小明', rel: '2', sex: '1', birth: '1994-06', edu: '5', literate: '1' });
    expect(root.querySelector('[id^="m-persons.2"][id$="-ok"]')).not.toBeNull();
    fireEvent.click(byId('submit'));
    await settle();
    expect(server.calls.filter((c) => c.url.endsWith('/submit'))).toHaveLength(0);
    expect(root.querySelector('.summary')?.textContent).toContain('第 3 人');

    const box = root.querySelector<HTMLInputElement>('[id^="m-persons.2"][id$="-ok"]');
    if (!box) throw new Error('no confirm box');
    fireEvent.click(box);
    await settle();
    server.replies.submit?.push('offline');
    fireEvent.click(byId('submit'));
    await settle();
    expect(root.querySelector('.notice')?.textContent).toContain('网络不通');
    fireEvent.click(byId('submit'));
    await settle();
    const submits = server.calls.filter((c) => c.url.endsWith('/submit'));
    expect(submits).toHaveLength(2);
    expect(submits[0]?.body.submissionId).toBe(submits[1]?.body.submissionId);
    const body = submits[1]?.body as { code: string; persons: { citizenId?: string; birth?: string; sex?: number }[]; overrides: { rule: string; path: unknown[]; reason: string; note: string }[] };
    expect(body.code).toBe(CODE);
    expect(body.persons.map((p) => [p.citizenId, p.birth, p.sex])).toEqual([[HEAD_ID, '1980-05', 1], [SPOUSE_ID, '1982-03', 2], [undefined, '1994-06', 1]]);
    expect(body.overrides).toEqual([{ rule: expect.any(String) as string, path: ['persons', 2, expect.any(String) as string], reason: 'confirmedWithRespondent', note: '住户自主填报时确认' }]);
    expect(root.querySelector('.done')?.textContent).toContain('已于');
    expect(root.querySelector('.done')?.textContent).toContain('普查员将上门');
    expect([...root.querySelectorAll('input, select')].every((e) => e.hasAttribute('disabled'))).toBe(true);
    expect(exists('submit')).toBe(false);

    // a reload shows the submitted form without asking the server anything
    const before = server.calls.length;
    reopen();
    await settle();
    expect(server.calls.length).toBe(before);
    expect(root.querySelector('.done')).not.toBeNull();
    expect((byId('f-persons.1.name') as HTMLInputElement).value).toBe('李娜');
  });

  it('[SP7] the server refusing answers: its details are shown at the fields they name', async () => {
    open(`#c=${CODE}`);
    await settle();
    await fillHousehold();
    await fillPerson(0, { name: '张伟', rel: '0', id: HEAD_ID, edu: '7', literate: '1' });
    await set('f-household.residents', '1');
    server.replies.submit?.push({ status: 422, body: { error: { code: 'validation_failed', message: 'x', details: [{ path: ['persons', 0, 'name'], message: 'too long' }] } } });
    fireEvent.click(byId('submit'));
    await settle();
    const name = byId('f-persons.0.name');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(byId('m-persons.0.name-server').textContent).toContain('too long');
    expect(root.querySelector('.notice')?.textContent).toContain('请先改正');
    expect(parseState(window.localStorage.getItem(STATE_KEY))?.submittedAt).toBeUndefined();
  });

  it('[SP8] English on request, remembered; the findings follow the language', async () => {
    open(`#c=${CODE}`);
    await settle();
    expect(document.documentElement.lang).toBe('zh-CN');
    fireEvent.click(root.querySelector('button.lang') as HTMLButtonElement);
    await settle();
    expect(document.documentElement.lang).toBe('en');
    expect(window.localStorage.getItem(LANG_KEY)).toBe('en');
    expect(root.textContent).toContain('Your household');
    fireEvent.click(byId('submit'));
    await settle();
    expect(root.querySelector('.summary')?.textContent).toContain('Please answer this question');
    reopen();
    await settle();
    expect(root.textContent).toContain('Members');
  });
});
