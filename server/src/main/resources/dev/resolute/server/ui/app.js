// Resolute web UI: one ES module, no build step. Talks to the admin API of the origin it was
// served from (same origin, no CORS) and, for "Call a handler", to the ingress URL that
// GET /version advertises (the ingress answers CORS).

const main = document.getElementById('main');
// replaceChildren would render a null as the text "null"
const show = (...nodes) => main.replaceChildren(...nodes.filter(n => n !== null && n !== undefined));

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

async function api(method, path, body) {
  const init = { method, headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const r = await fetch(path, init);
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${json?.message ?? text}`);
  return json;
}

async function sql(query) {
  return (await api('POST', '/query', { query })).rows ?? [];
}

function quote(s) {
  return "'" + String(s).replaceAll("'", "''") + "'";
}

function table(columns, rows, cell = (row, c) => row[c]) {
  return h('table', {},
    h('thead', {}, h('tr', {}, columns.map(c => h('th', {}, c)))),
    h('tbody', {}, rows.map(r => h('tr', {}, columns.map(c => {
      const v = cell(r, c);
      return h('td', {}, v instanceof Node ? v : (v === undefined || v === null ? '' :
        (typeof v === 'object' ? JSON.stringify(v) : String(v))));
    })))));
}

function message(el, text, ok) {
  el.replaceChildren(h('p', { class: ok ? 'ok' : 'error', id: 'message' }, text));
}

// ---- deployments --------------------------------------------------------------------------
async function deployments() {
  const status = h('div');
  const uri = h('input', { name: 'uri', placeholder: 'http://127.0.0.1:9080', size: 40 });
  const form = h('form', { id: 'register', onsubmit: async e => {
    e.preventDefault();
    try {
      const r = await api('POST', '/deployments', { uri: uri.value, force: true });
      await route();
      message(document.getElementById('status'), `registered ${r.id}`, true);
    } catch (err) { message(status, err.message); }
  } }, h('label', {}, 'Register deployment URI '), uri, h('button', { type: 'submit' }, 'Register'));
  const list = (await api('GET', '/deployments')).deployments ?? [];
  show(h('h1', {}, 'Deployments'), form, h('div', { id: 'status' }, status),
    table(['id', 'endpoint', 'services', 'created_at', ''], list, (d, c) => {
      if (c === 'endpoint') return d.uri ?? d.arn ?? '';
      if (c === 'services') return (d.services ?? []).map(s => `${s.name} (rev ${s.revision})`).join(', ');
      if (c === '') return h('button', { class: 'remove', 'data-id': d.id, onclick: async () => {
        if (!confirm(`Remove deployment ${d.id}?`)) return;
        try { await api('DELETE', `/deployments/${encodeURIComponent(d.id)}?force=true`); await route(); }
        catch (err) { message(status, err.message); }
      } }, 'Remove');
      return d[c];
    }));
}

// ---- services -----------------------------------------------------------------------------
async function services() {
  const list = (await api('GET', '/services')).services ?? [];
  show(h('h1', {}, 'Services'), ...list.map(s => h('section', { class: 'service', 'data-name': s.name },
    h('h2', {}, `${s.name} `, h('span', { class: 'muted' }, `${s.ty} · revision ${s.revision} · deployment ${s.deployment_id}`)),
    table(['setting', 'value'], Object.entries(s).filter(([k]) => !['handlers', 'name', 'ty', 'revision', 'deployment_id'].includes(k))
      .map(([k, v]) => ({ setting: k, value: v }))),
    table(['handler', 'type', 'input', 'output', ''], s.handlers ?? [], (hd, c) => {
      if (c === 'handler') return hd.name;
      if (c === 'type') return hd.ty ?? '';
      if (c === 'input') return hd.input_description ?? hd.input_json_schema ?? '';
      if (c === 'output') return hd.output_description ?? hd.output_json_schema ?? '';
      return h('a', { href: `#/call/${encodeURIComponent(s.name)}/${encodeURIComponent(hd.name)}` }, 'call');
    }),
    s.ty === 'VirtualObject' || s.ty === 'Workflow'
      ? h('form', { onsubmit: e => { e.preventDefault(); location.hash = `#/state/${encodeURIComponent(s.name)}/${encodeURIComponent(e.target.key.value)}`; } },
        h('label', {}, 'State of key '), h('input', { name: 'key' }), h('button', { type: 'submit' }, 'Open'))
      : null)));
}

// ---- invocations --------------------------------------------------------------------------
const STATUSES = ['', 'pending', 'scheduled', 'ready', 'running', 'backing-off', 'suspended', 'paused', 'completed'];

async function invocations(params) {
  const status = params.get('status') ?? '';
  const service = params.get('service') ?? '';
  const age = params.get('age') ?? '';
  const form = h('form', { id: 'filters', onsubmit: e => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const n of ['status', 'service', 'age']) if (e.target[n].value) q.set(n, e.target[n].value);
    location.hash = '#/invocations?' + q;
  } },
    h('label', {}, 'Status '), h('select', { name: 'status' }, STATUSES.map(s => h('option', { value: s, selected: s === status }, s || 'any'))),
    h('label', {}, 'Service '), h('input', { name: 'service', value: service }),
    h('label', {}, 'Created within (minutes) '), h('input', { name: 'age', type: 'number', min: 1, value: age }),
    h('button', { type: 'submit' }, 'Filter'));
  const where = [];
  if (status) where.push(`status = ${quote(status)}`);
  if (service) where.push(`target_service_name = ${quote(service)}`);
  if (age) where.push(`created_at > now() - INTERVAL '${Math.max(1, parseInt(age, 10))}' MINUTE`);
  const q = 'SELECT id, target, status, created_at, modified_at, retry_count, last_failure FROM sys_invocation'
    + (where.length ? ' WHERE ' + where.join(' AND ') : '') + ' ORDER BY created_at DESC LIMIT 200';
  const rows = await sql(q);
  show(h('h1', {}, 'Invocations'), form, h('p', { class: 'muted' }, `${rows.length} shown`),
    table(['id', 'target', 'status', 'created_at', 'modified_at', 'retry_count', 'last_failure'], rows, (r, c) =>
      c === 'id' ? h('a', { href: `#/invocation/${r.id}`, class: 'invocation' }, r.id) : r[c]));
}

const ACTIONS = [
  ['cancel', 'PATCH', id => `/invocations/${id}/cancel`],
  ['kill', 'PATCH', id => `/invocations/${id}/kill`],
  ['pause', 'PATCH', id => `/invocations/${id}/pause`],
  ['resume', 'PATCH', id => `/invocations/${id}/resume`],
  ['purge', 'PATCH', id => `/invocations/${id}/purge`],
  ['restart-as-new', 'PATCH', id => `/invocations/${id}/restart-as-new`],
];

async function invocation(id) {
  const [inv] = await sql(`SELECT * FROM sys_invocation WHERE id = ${quote(id)}`);
  const journal = await sql(`SELECT * FROM sys_journal WHERE id = ${quote(id)} ORDER BY index`);
  const status = h('div', { id: 'status' });
  const actions = h('div', { class: 'actions' }, ACTIONS.map(([name, method, path]) =>
    h('button', { 'data-action': name, onclick: async () => {
      if (!confirm(`${name} invocation ${id}?`)) return;
      try {
        const r = await api(method, path(encodeURIComponent(id)));
        message(status, `${name}: done` + (r?.new_invocation_id ? ` → ${r.new_invocation_id}` : ''), true);
      } catch (err) { message(status, err.message); }
    } }, name)));
  if (!inv) {
    show(h('h1', {}, `Invocation ${id}`), h('p', { class: 'muted' }, 'not found (purged or unknown)'), actions, status);
    return;
  }
  const timeline = h('ol', { class: 'timeline', id: 'journal' }, journal.map(e => h('li', {},
    h('span', { class: 'kind' }, `#${e.index} ${e.entry_type ?? ''}`), ' ', e.name ? h('span', {}, `“${e.name}” `) : null,
    e.completed === false ? h('span', { class: 'muted' }, '(awaiting) ') : null,
    e.appended_at ? h('span', { class: 'muted' }, e.appended_at) : null,
    e.entry_json ? h('pre', {}, e.entry_json) : null)));
  show(
    h('h1', {}, `Invocation ${id}`),
    h('p', {}, h('strong', { id: 'inv-status' }, inv.status), ` · ${inv.target} · created ${inv.created_at}`),
    actions, status,
    inv.last_failure ? h('div', { class: 'error', id: 'last-failure' },
      `Last failure (attempt ${inv.retry_count ?? '?'}${inv.next_retry_at ? ', next retry ' + inv.next_retry_at : ''}): ${inv.last_failure}`) : null,
    inv.completion_result ? h('p', {}, `Result: ${inv.completion_result} `, inv.completion_failure ? h('span', { class: 'error' }, inv.completion_failure) : null) : null,
    h('h2', {}, `Journal (${journal.length} entries)`), timeline,
    h('h2', {}, 'Details'), table(['field', 'value'], Object.entries(inv).map(([field, value]) => ({ field, value }))));
}

// ---- state --------------------------------------------------------------------------------
async function state(service, key) {
  const rows = await sql(`SELECT key, value_utf8 FROM state WHERE service_name = ${quote(service)} AND service_key = ${quote(key)} ORDER BY key`);
  const obj = Object.fromEntries(rows.map(r => [r.key, r.value_utf8]));
  const editor = h('textarea', { id: 'state-editor', rows: 10 }, JSON.stringify(obj, null, 2));
  const status = h('div', { id: 'status' });
  show(h('h1', {}, `State of ${service}/${key}`),
    table(['key', 'value'], rows, (r, c) => c === 'value' ? r.value_utf8 : r.key),
    h('h2', {}, 'Edit (JSON object: state key → UTF-8 value)'), editor,
    h('button', { id: 'save-state', onclick: async () => {
      let parsed;
      try { parsed = JSON.parse(editor.value); } catch (err) { message(status, 'not JSON: ' + err.message); return; }
      if (!confirm(`Replace the whole state of ${service}/${key}?`)) return;
      const enc = new TextEncoder();
      const new_state = Object.fromEntries(Object.entries(parsed).map(([k, v]) =>
        [k, Array.from(enc.encode(typeof v === 'string' ? v : JSON.stringify(v)))]));
      try {
        await api('POST', `/services/${encodeURIComponent(service)}/state`, { object_key: key, new_state });
        message(status, 'state replaced', true);
      } catch (err) { message(status, err.message); }
    } }, 'Save state'), status);
}

// ---- call a handler -----------------------------------------------------------------------
async function call(service = '', handler = '') {
  const { ingress_endpoint } = await api('GET', '/version');
  const out = h('div', { id: 'call-result' });
  const form = h('form', { id: 'call', onsubmit: async e => {
    e.preventDefault();
    const f = e.target;
    const key = f.key.value;
    const url = ingress_endpoint + encodeURIComponent(f.service.value) + '/' + (key ? encodeURIComponent(key) + '/' : '') + encodeURIComponent(f.handler.value);
    try {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: f.body.value || undefined });
      out.replaceChildren(h('p', { class: r.ok ? 'ok' : 'error' }, `${r.status} ${r.headers.get('x-restate-id') ?? ''}`), h('pre', { id: 'call-body' }, await r.text()));
    } catch (err) { message(out, err.message); }
  } },
    h('label', {}, 'Service '), h('input', { name: 'service', value: service }),
    h('label', {}, 'Key (objects, workflows) '), h('input', { name: 'key' }),
    h('label', {}, 'Handler '), h('input', { name: 'handler', value: handler }),
    h('textarea', { name: 'body', placeholder: 'JSON body' }),
    h('button', { type: 'submit' }, 'Call'));
  show(h('h1', {}, 'Call a handler'), h('p', { class: 'muted' }, `through the ingress at ${ingress_endpoint}`), form, out);
}

// ---- router -------------------------------------------------------------------------------
async function route() {
  const [path, query] = (location.hash.slice(1) || '/invocations').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  for (const a of document.querySelectorAll('header a')) a.classList.toggle('active', a.getAttribute('href') === '#/' + parts[0]);
  try {
    switch (parts[0]) {
      case 'deployments': return await deployments();
      case 'services': return await services();
      case 'invocation': return await invocation(parts[1]);
      case 'state': return await state(parts[1], parts[2]);
      case 'call': return await call(parts[1], parts[2]);
      default: return await invocations(new URLSearchParams(query ?? ''));
    }
  } catch (err) {
    show(h('p', { class: 'error' }, err.message));
  }
}

window.addEventListener('hashchange', route);
route();
