// cordon's page for analysts: screens a name through GET /search and shows
// each match with a score bar and its explanation, and the loaded lists
// from GET /lists. Plain JavaScript, no libraries; every value from the
// server goes into the page as text, never as HTML.
'use strict';

const KEY = 'cordon-api-key';
const $ = (id) => document.getElementById(id);

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

function apiKey() { return sessionStorage.getItem(KEY) || ''; }

function showKeyState() {
  $('keystate').textContent = apiKey() ? 'API key: set' : 'API key';
}

async function api(path) {
  const headers = { Accept: 'application/json' };
  const key = apiKey();
  if (key) headers['X-API-Key'] = key;
  const resp = await fetch(path, { headers });
  let body = null;
  try { body = await resp.json(); } catch (e) { body = null; }
  if (!resp.ok) {
    const msg = body && body.error ? body.error.message : resp.statusText;
    const err = new Error(msg);
    err.status = resp.status;
    throw err;
  }
  return body;
}

function setStatus(text, isError) {
  const s = $('status');
  s.textContent = text;
  s.className = isError ? 'error' : '';
}

function needKey() {
  $('keybox').open = true;
  $('apikey').focus();
}

function fmt(x, digits) { return Number(x).toFixed(digits === undefined ? 3 : digits); }

function explanationView(x) {
  const d = el('details', 'explanation');
  d.open = true;
  d.appendChild(el('summary', null, 'Explanation'));
  d.appendChild(el('p', 'matched', 'Matched ' + (x.matched_kind || '') + ' name "' +
    (x.matched_name || '') + '", name score ' + fmt(x.name_score)));
  if (x.identifier) d.appendChild(el('p', 'matched', 'Identifier matched exactly: ' + x.identifier));
  if (x.tokens && x.tokens.length) {
    const t = el('table', 'tokens');
    const head = el('tr');
    ['query token', 'listed token', 'method', 'score', 'weight'].forEach((h, i) => {
      head.appendChild(el('th', i >= 3 ? 'num' : null, h));
    });
    t.appendChild(head);
    for (const p of x.tokens) {
      const tr = el('tr');
      tr.appendChild(el('td', null, p.query === null ? '—' : p.query));
      tr.appendChild(el('td', null, p.listed === null ? '—' : p.listed));
      tr.appendChild(el('td', null, p.method));
      tr.appendChild(el('td', 'num', fmt(p.score)));
      tr.appendChild(el('td', 'num', fmt(p.weight)));
      t.appendChild(tr);
    }
    d.appendChild(t);
  }
  if (x.adjustments && x.adjustments.length) {
    const ul = el('ul', 'adjustments');
    for (const a of x.adjustments) {
      const sign = a.delta > 0 ? '+' : '';
      ul.appendChild(el('li', a.delta < 0 ? 'neg' : a.delta > 0 ? 'pos' : null,
        a.field + ' ' + sign + fmt(a.delta) + ': ' + a.reason));
    }
    d.appendChild(ul);
  }
  if (x.qualifiers && x.qualifiers.length)
    d.appendChild(el('p', 'matched', 'Qualifiers compared: ' + x.qualifiers.join(', ')));
  return d;
}

async function showEntity(li, id, button) {
  const old = li.querySelector('.entity');
  if (old) { old.remove(); button.textContent = 'Record'; return; }
  try {
    const e = await api('/entities/' + encodeURIComponent(id));
    const dl = el('dl', 'entity');
    const add = (label, values) => {
      if (!values || !values.length) return;
      dl.appendChild(el('dt', null, label));
      dl.appendChild(el('dd', null, values.join('; ')));
    };
    add('names', e.names.map((n) => n.name + ' [' + n.kind + ']'));
    add('birth dates', e.birth_dates.map((b) => b.date));
    add('birth places', e.birth_places);
    add('nationalities', e.nationalities.map((c) => c.text));
    add('countries', e.countries.map((c) => c.text));
    add('identifiers', e.identifiers.map((i) => i.type + ' ' + i.value));
    add('programs', e.programs);
    add('listed on', e.listed_on ? [e.listed_on] : []);
    add('remarks', e.remarks ? [e.remarks] : []);
    li.appendChild(dl);
    button.textContent = 'Hide record';
  } catch (err) {
    setStatus('Could not load ' + id + ': ' + err.message, true);
  }
}

function resultView(m, threshold) {
  const li = el('li', 'result' + (m.score >= threshold ? ' hit' : ''));
  const head = el('div', 'head');
  head.appendChild(el('span', 'name', m.name));
  head.appendChild(el('span', 'id', m.id));
  head.appendChild(el('span', 'chip', m.schema));
  head.appendChild(el('span', 'chip', m.source));
  li.appendChild(head);
  const score = el('div', 'score');
  const bar = el('div', 'bar');
  const fill = el('div', 'fill');
  fill.style.width = Math.max(0, Math.min(100, m.score * 100)).toFixed(1) + '%';
  bar.appendChild(fill);
  score.appendChild(bar);
  score.appendChild(el('span', 'value', fmt(m.score)));
  const rec = el('button', 'quiet record', 'Record');
  rec.type = 'button';
  rec.addEventListener('click', () => showEntity(li, m.id, rec));
  score.appendChild(rec);
  li.appendChild(score);
  if (m.reason) li.appendChild(el('p', 'reason', m.reason));
  if (m.explanation) li.appendChild(explanationView(m.explanation));
  return li;
}

async function search(ev) {
  ev.preventDefault();
  const params = new URLSearchParams();
  params.set('q', $('q').value.trim());
  for (const f of ['type', 'dob', 'country']) {
    const v = $(f).value.trim();
    if (v) params.set(f, v);
  }
  const list = $('results');
  list.replaceChildren();
  setStatus('Screening…');
  $('go').disabled = true;
  try {
    const r = await api('/search?' + params.toString());
    for (const m of r.matches) list.appendChild(resultView(m, r.threshold));
    const n = r.matches.length;
    setStatus(n === 0
      ? 'No match at threshold ' + r.threshold + ' for "' + r.query + '".'
      : n + ' match' + (n === 1 ? '' : 'es') + ' at threshold ' + r.threshold +
        ' for "' + r.query + '" (' + r.algorithm + ' algorithm).');
    if (!$('lists').tBodies[0].rows.length) loadLists();
  } catch (err) {
    setStatus(err.message, true);
    if (err.status === 401) needKey();
  } finally {
    $('go').disabled = false;
  }
}

async function loadLists() {
  const body = $('lists').tBodies[0];
  try {
    const l = await api('/lists');
    body.replaceChildren();
    for (const s of l.sources) {
      const tr = el('tr');
      tr.appendChild(el('td', null, s.source));
      tr.appendChild(el('td', null, s.published || 'unknown'));
      tr.appendChild(el('td', 'num', s.entities.toLocaleString('en')));
      tr.title = s.format + ', sha256 ' + s.sha256;
      body.appendChild(tr);
    }
    $('indexinfo').textContent = l.index.entities.toLocaleString('en') + ' entities, index ' +
      l.index.hash.slice(0, 16) + '…, loaded ' + (l.index.loaded_at || '');
    const ri = $('reloadinfo');
    ri.className = 'small' + (l.reload.status === 'failed' ? ' failed' : '');
    ri.textContent = l.reload.status === 'failed'
      ? 'Last reload failed (the previous index is serving): ' + l.reload.error
      : l.reload.status === 'ok' ? 'Last reload: ' + l.reload.at : '';
  } catch (err) {
    body.replaceChildren();
    $('indexinfo').textContent = err.status === 401
      ? 'Enter an API key to see the lists.' : 'Lists unavailable: ' + err.message;
  }
}

function init() {
  showKeyState();
  $('search').addEventListener('submit', search);
  $('keyform').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = $('apikey').value.trim();
    if (v) sessionStorage.setItem(KEY, v);
    $('apikey').value = '';
    $('keybox').open = false;
    showKeyState();
    loadLists();
  });
  $('forgetkey').addEventListener('click', () => {
    sessionStorage.removeItem(KEY);
    showKeyState();
  });
  loadLists();
}

document.addEventListener('DOMContentLoaded', init);
