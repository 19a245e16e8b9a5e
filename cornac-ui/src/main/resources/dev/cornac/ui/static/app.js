'use strict';
// Cornac UI: a small hash-routed page over the UI server's JSON API. No build step, no third-party code.

const state = { csrf: '', user: '', readOnly: true, config: null, teams: [], authMode: 'basic', timer: null };

const $ = (sel, root) => (root || document).querySelector(sel);
const esc = (v) => String(v === undefined || v === null ? '' : v)
  .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

async function api(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-Token'] = state.csrf;
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin' });
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  if (!r.ok) {
    const err = new Error((data && data.error) || ('HTTP ' + r.status));
    err.status = r.status;
    throw err;
  }
  return data;
}

function alertBox(message, ok) {
  const a = $('#alert');
  a.textContent = message;
  a.classList.toggle('ok', !!ok);
  a.classList.toggle('hidden', !message);
}

function age(iso) {
  if (!iso) return '';
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (s < 120) return Math.round(s) + 's';
  if (s < 7200) return Math.round(s / 60) + 'm';
  if (s < 172800) return Math.round(s / 3600) + 'h';
  return Math.round(s / 86400) + 'd';
}

// ---- start-up and login ------------------------------------------------------------------------------------------

async function start() {
  $('#logout').addEventListener('click', async () => {
    try { await api('POST', '/logout', {}); } catch (e) { /* gone anyway */ }
    location.hash = '#/list';
    location.reload();
  });
  try {
    const s = await api('GET', '/session');
    state.user = s.user; state.csrf = s.csrf; state.readOnly = s.readOnly; state.authMode = s.authMode;
  } catch (e) {
    if (e.status === 401) { return showLogin(); }
    return alertBox(e.message);
  }
  state.config = await api('GET', '/config');
  state.teams = await api('GET', '/teams');
  $('#nav').classList.remove('hidden');
  $('#nav-docs').href = state.config.docs_link || '#';
  $('#whoami').textContent = state.user ? state.user : 'anonymous (read only)';
  $('#logout').classList.toggle('hidden', !state.user);
  $('#nav-new').classList.toggle('hidden', state.readOnly);
  window.addEventListener('hashchange', route);
  route();
}

async function showLogin() {
  let mode = 'basic';
  try { const c = await fetch('/session'); const j = await c.json(); mode = j.authMode || mode; } catch (e) { /* */ }
  const token = state.authMode === 'token' || mode === 'token';
  $('#main').innerHTML = `<form class="login" id="login-form">
    <h1>Log in</h1>
    ${token ? `<label for="login-token">Kubernetes token</label><input id="login-token" type="password" autocomplete="off">
      <p class="hint">kubectl create token &lt;service account&gt;, or your OIDC id token</p>`
    : `<label for="login-user">User</label><input id="login-user" type="text" autocomplete="username">
       <label for="login-password">Password</label><input id="login-password" type="password" autocomplete="current-password">`}
    <button type="submit" id="login-submit">Log in</button></form>`;
  $('#login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api('POST', '/login', token ? { token: $('#login-token').value }
        : { username: $('#login-user').value, password: $('#login-password').value });
      location.reload();
    } catch (e) { alertBox(e.message); }
  });
}

function route() {
  if (state.timer) { clearInterval(state.timer); state.timer = null; }
  alertBox('');
  const parts = (location.hash || '#/list').slice(2).split('/');
  document.querySelectorAll('nav a').forEach(a => a.classList.remove('active'));
  const page = parts[0] || 'list';
  const nav = $('#nav-' + page);
  if (nav) nav.classList.add('active');
  if (page === 'new') return newCluster();
  if (page === 'clone' && parts.length >= 3) return newCluster({ namespace: parts[1], name: parts[2] });
  if (page === 'status' && parts.length >= 3) return clusterPage(parts[1], parts[2]);
  if (page === 'edit' && parts.length >= 3) return editCluster(parts[1], parts[2]);
  if (page === 'operator') return operatorPage();
  return listPage();
}

// ---- cluster list ------------------------------------------------------------------------------------------------

async function listPage() {
  const main = $('#main');
  main.innerHTML = `<h1>PostgreSQL clusters</h1>
    <div class="filters">
      <label>Namespace <select id="filter-namespace"><option value="">all</option></select></label>
      <label>Team <select id="filter-team"><option value="">all</option></select></label>
      <input id="filter-text" type="text" placeholder="filter by namespace/name">
      <span id="cluster-count" class="muted"></span>
    </div>
    <table id="cluster-table"><thead><tr><th>Team</th><th>Namespace</th><th>Name</th><th>Status</th>
      <th>Pods ready</th><th>Version</th><th>Volume</th><th>Age</th><th>Actions</th></tr></thead>
      <tbody></tbody></table>`;
  let rows = [];
  try { rows = await api('GET', '/postgresqls'); } catch (e) { return alertBox(e.message); }
  const nsSel = $('#filter-namespace');
  [...new Set(rows.map(r => r.namespace))].sort().forEach(n => nsSel.insertAdjacentHTML('beforeend',
    `<option>${esc(n)}</option>`));
  const teamSel = $('#filter-team');
  [...new Set(rows.map(r => r.team.toLowerCase()))].sort().forEach(t => teamSel.insertAdjacentHTML('beforeend',
    `<option>${esc(t)}</option>`));
  const render = () => {
    const ns = nsSel.value, team = teamSel.value, text = $('#filter-text').value.trim();
    const shown = rows.filter(r => (!ns || r.namespace === ns) && (!team || r.team.toLowerCase() === team)
      && (!text || (r.namespace + '/' + r.name).includes(text)));
    $('#cluster-count').textContent = shown.length + ' of ' + rows.length + ' clusters';
    $('#cluster-table tbody').innerHTML = shown.map(r => `<tr data-cluster="${esc(r.namespace)}/${esc(r.name)}">
      <td>${esc(r.team)}</td><td>${esc(r.namespace)}</td>
      <td><a href="#/status/${esc(r.namespace)}/${esc(r.name)}">${esc(r.name)}</a></td>
      <td><span class="badge ${esc(r.status)}">${esc(r.status || 'unknown')}</span></td>
      <td>${r.podsReady}/${r.instances}</td><td>${esc(r.version)}</td><td>${esc(r.volume)}</td>
      <td title="${esc(r.created)}">${age(r.created)}</td>
      <td class="actions"><a href="#/status/${esc(r.namespace)}/${esc(r.name)}">Status</a>
        ${state.readOnly ? '' : `<a href="#/edit/${esc(r.namespace)}/${esc(r.name)}">Edit</a>
        <button type="button" class="link delete" data-ns="${esc(r.namespace)}" data-name="${esc(r.name)}">Delete</button>`}
      </td></tr>`).join('');
  };
  [nsSel, teamSel].forEach(s => s.addEventListener('change', render));
  $('#filter-text').addEventListener('input', render);
  $('#cluster-table').addEventListener('click', (ev) => {
    const b = ev.target.closest('button.delete');
    if (b) deleteDialog(b.dataset.ns, b.dataset.name, () => listPage());
  });
  render();
}

// ---- delete ------------------------------------------------------------------------------------------------------

function deleteDialog(ns, name, done) {
  const d = $('#dialog');
  const expected = ns + '/' + name;
  d.innerHTML = `<div class="box"><h2>Delete cluster ${esc(expected)}</h2>
    <p>This deletes the postgresql resource; the operator removes the cluster's pods and services. Volumes are kept
    unless the operator is configured otherwise. Type <b>${esc(expected)}</b> to confirm.</p>
    <input id="delete-confirm" type="text" autocomplete="off">
    <button type="button" id="delete-button" class="danger" disabled>Delete</button>
    <button type="button" id="delete-cancel" class="secondary">Cancel</button></div>`;
  d.classList.remove('hidden');
  const input = $('#delete-confirm');
  input.addEventListener('input', () => { $('#delete-button').disabled = input.value !== expected; });
  $('#delete-cancel').addEventListener('click', () => d.classList.add('hidden'));
  $('#delete-button').addEventListener('click', async () => {
    try {
      await api('DELETE', `/postgresqls/${encodeURIComponent(ns)}/${encodeURIComponent(name)}?confirm=`
        + encodeURIComponent(input.value));
      d.classList.add('hidden');
      done();
      alertBox('Deleted ' + expected, true);
    } catch (e) { d.classList.add('hidden'); alertBox('Delete failed: ' + e.message); }
  });
  input.focus();
}

// ---- cluster page ------------------------------------------------------------------------------------------------

// Whether the user is still on the page an answer was asked for: a late answer must not overwrite the page opened since.
const stillOn = (hash) => location.hash === hash;

async function clusterPage(ns, name) {
  const main = $('#main');
  const here = location.hash;
  const load = async () => {
    let d;
    try { d = await api('GET', `/postgresqls/${encodeURIComponent(ns)}/${encodeURIComponent(name)}/details`); }
    catch (e) { if (!stillOn(here)) return; main.innerHTML = ''; return alertBox(e.message); }
    let logs = [];
    let logError = '';
    try { logs = await api('GET', `/operator/clusters/${encodeURIComponent(ns)}/${encodeURIComponent(name)}/logs`); }
    catch (e) { logError = e.message; }
    if (!stillOn(here)) return;
    main.innerHTML = `<h1>${esc(ns)}/${esc(name)} <span class="badge ${esc(d.status)}" id="cluster-status">${esc(d.status || 'unknown')}</span></h1>
      <div class="actions">${state.readOnly ? '' : `<a class="button" href="#/edit/${esc(ns)}/${esc(name)}">Edit</a>
        <button type="button" class="danger" id="cluster-delete">Delete</button>`}</div>
      <h2>Pods</h2><table id="pods"><thead><tr><th>Pod</th><th>Role</th><th>Phase</th><th>Ready</th><th>IP</th><th>Node</th></tr></thead><tbody>
      ${d.pods.map(p => `<tr><td>${esc(p.name)}</td><td>${esc(p.role)}</td><td>${esc(p.phase)}</td><td>${p.ready ? 'yes' : 'no'}</td><td>${esc(p.ip)}</td><td>${esc(p.node)}</td></tr>`).join('') || '<tr><td colspan="6" class="muted">no pods yet</td></tr>'}
      </tbody></table>
      <h2>Services</h2><table id="services"><thead><tr><th>Service</th><th>Type</th><th>Cluster IP</th><th>DNS name</th><th>External</th></tr></thead><tbody>
      ${d.services.map(s => `<tr><td>${esc(s.name)}</td><td>${esc(s.type)}</td><td>${esc(s.clusterIP)}</td><td>${esc(s.dns)}</td><td>${esc(s.external || '')}</td></tr>`).join('') || '<tr><td colspan="5" class="muted">no services yet</td></tr>'}
      </tbody></table>
      <h2>How to connect</h2><div id="connect">
        <p>Inside the cluster: <code>${esc(d.connect.inCluster)}</code></p>
        <p>Password (secret <code>${esc(d.connect.secret)}</code>): <code>${esc(d.connect.password)}</code></p>
        <p>From your machine: <code>${esc(d.connect.cornac)}</code></p></div>
      <h2>Secrets</h2>${d.secretsError ? `<p class="muted" id="secrets-error">${esc(d.secretsError)}</p>` : ''}<ul id="secrets">${d.secrets.map(s => `<li><code>${esc(s)}</code></li>`).join('')}</ul>
      <h2>Conditions</h2><ul>${(d.conditions || []).map(c => `<li>${esc(c.type)}: ${esc(c.status)} — ${esc(c.message || '')}</li>`).join('')}</ul>
      <h2>Events</h2><table id="events"><thead><tr><th>Time</th><th>Type</th><th>Reason</th><th>Message</th></tr></thead><tbody>
      ${d.events.map(e => `<tr><td>${esc(e.time)}</td><td><span class="badge ${esc(e.type)}">${esc(e.type)}</span></td><td>${esc(e.reason)}</td><td>${esc(e.message)}</td></tr>`).join('')}
      </tbody></table>
      <h2>Operator log</h2>${logError ? `<p class="muted" id="operator-log-error">${esc(logError)}</p>` : ''}
      <table id="operator-log"><tbody>${logs.slice().reverse().map(l => `<tr><td>${esc(l.Time)}</td><td><span class="badge ${esc(l.Level)}">${esc(l.Level)}</span></td><td>${esc(l.Message)}</td></tr>`).join('')}</tbody></table>
      <h2>Backups</h2><div id="backups"><p class="muted">looking in the WAL archive…</p></div>
      <h2>Manifest</h2><p class="muted">uid ${esc(d.uid)}</p><pre id="manifest">${esc(toYamlText(d.manifest))}</pre>`;
    loadBackups(ns, name);
    const del = $('#cluster-delete');
    if (del) del.addEventListener('click', () => deleteDialog(ns, name, () => { location.hash = '#/list'; }));
  };
  await load();
  state.timer = setInterval(() => { if (!$('#dialog').classList.contains('hidden')) return; load(); }, 10000);
}

async function loadBackups(ns, name) {
  const box = $('#backups');
  if (!box) return;
  try {
    const b = await api('GET', `/postgresqls/${encodeURIComponent(ns)}/${encodeURIComponent(name)}/backups`);
    box.innerHTML = `<p>${esc(b.Location)}: restorable from <b id="backups-earliest">${esc(b.Earliest || '(no backup yet)')}</b>
      to <b id="backups-latest">${esc(b.Latest || '-')}</b></p>
      <table id="backup-list"><thead><tr><th>Base backup</th><th>Finished</th><th>Size</th></tr></thead><tbody>
      ${b.Backups.map(x => `<tr><td>${esc(x.Name)}</td><td>${esc(x.Finished)}</td><td>${(x.Size / 1048576).toFixed(1)} MiB</td></tr>`).join('')}
      </tbody></table>
      ${state.readOnly || !b.Earliest ? '' : `<a class="button" id="clone-button" href="#/clone/${esc(ns)}/${esc(name)}">Clone / restore to a point in time…</a>`}`;
  } catch (e) {
    box.innerHTML = `<p class="muted" id="backups-error">${esc(e.message)}</p>`;
  }
}

// A readable YAML-ish rendering for display only (the server's YAML is used wherever it matters).
function toYamlText(v, indent) {
  indent = indent || '';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return v.length === 0 ? '[]' : v.map(x => '\n' + indent + '- ' + toYamlText(x, indent + '  ').replace(/^\n\s*/, '')).join('');
  const keys = Object.keys(v);
  if (keys.length === 0) return '{}';
  return keys.map(k => '\n' + indent + k + ': ' + toYamlText(v[k], indent + '  ')).join('').replace(/^\n/, indent ? '\n' : '');
}

// ---- new cluster and edit ----------------------------------------------------------------------------------------

function formHtml(editing) {
  const c = state.config;
  const confined = c.target_namespace && c.target_namespace !== '*';
  const versions = (c.postgresql_versions || []).map(v => `<option>${esc(v)}</option>`).join('');
  const teams = state.teams.map(t => `<option>${esc(t)}</option>`).join('');
  const namespaces = (c.namespaces || ['default']).map(n => `<option>${esc(n)}</option>`).join('');
  const check = (id, label, visible) => visible === false ? '' :
    `<label><input type="checkbox" id="${id}"> ${label}</label>`;
  return `<form id="cluster-form" autocomplete="off">
    <div class="form-row"><label for="name">Name</label><input type="text" id="name" class="wide" maxlength="53" ${editing ? 'readonly' : ''}>
      <span class="hint">(can be 53 characters long; starts with the team, e.g. acid-orders)</span></div>
    <div class="form-row ${confined ? 'hidden' : ''}"><label for="namespace">Namespace</label><select id="namespace" ${editing ? 'disabled' : ''}>${namespaces}</select></div>
    <div class="form-row"><label for="team">Owning team</label><select id="team" ${editing ? 'disabled' : ''}>${teams}</select></div>
    <div class="form-row"><label for="version">PostgreSQL version</label><select id="version">${versions}</select></div>
    <div class="form-row"><label>DNS name</label><span id="dns-name" class="muted"></span></div>
    <div class="form-row"><label for="instances">Number of instances</label><input type="number" id="instances" class="short" min="1" value="1"></div>
    <div class="form-row"><label>Enable load balancer</label>${check('masterLoadBalancer', 'Master', c.master_load_balancer_visible)} ${check('replicaLoadBalancer', 'Replica', c.replica_load_balancer_visible)}</div>
    <div class="form-row"><label>Enable connection pooler</label>${check('connectionPooler', 'Master', c.connection_pooler_visible)} ${check('replicaConnectionPooler', 'Replica', c.replica_connection_pooler_visible)}</div>
    <div class="form-row"><label>Enable connection pooler load balancer</label>${check('masterPoolerLoadBalancer', 'Master', c.master_pooler_load_balancer_visible)} ${check('replicaPoolerLoadBalancer', 'Replica', c.replica_pooler_load_balancer_visible)}</div>
    <div class="form-row"><label for="volumeSize">Volume size</label><input type="text" id="volumeSize" class="short" value="10Gi">
      <span class="hint">a Kubernetes quantity, e.g. 10Gi or 500Mi; a number alone means Gi</span></div>
    <div class="form-row"><label for="storageClass">storageClass</label><input type="text" id="storageClass" class="wide"></div>
    <div class="form-row"><label for="iops">IOPS</label><input type="number" id="iops" class="short" min="0"></div>
    <div class="form-row"><label for="throughput">Throughput</label><input type="number" id="throughput" class="short" min="0"> MB/s
      <span class="hint">Specify IOPS and Throughput only if you need more than the default 3000 IOPS and 125 MB/s EBS provides.</span></div>
    <div class="form-row"><label>CPU</label>request <input type="number" id="cpuRequest" class="short" min="1" value="100"> m, limit <input type="number" id="cpuLimit" class="short" min="1" value="500"> m</div>
    <div class="form-row"><label>Memory</label>request <input type="number" id="memoryRequest" class="short" min="1" value="100"> Mi, limit <input type="number" id="memoryLimit" class="short" min="1" value="500"> Mi</div>
    <h2>Users</h2><div id="users"></div><button type="button" class="secondary" id="add-user">Add user</button>
    <h2>Databases</h2><div id="databases"></div><button type="button" class="secondary" id="add-database">Add database</button>
    <h2>Allowed source ranges</h2><textarea id="allowedSourceRanges" rows="3" placeholder="one CIDR per line, e.g. 10.0.0.0/8"></textarea>
  </form>`;
}

const FLAGS = ['superuser', 'createdb', 'createrole', 'login', 'replication', 'bypassrls'];

function addUserRow(name, flags) {
  const row = document.createElement('div');
  row.className = 'list-row user-row';
  row.innerHTML = `<input type="text" class="user-name" placeholder="user name" value="${esc(name || '')}">`
    + FLAGS.map(f => `<label><input type="checkbox" class="user-flag" value="${f}" ${(flags || []).map(x => x.toLowerCase()).includes(f) ? 'checked' : ''}> ${f}</label>`).join(' ')
    + ' <button type="button" class="link remove">remove</button>';
  $('#users').appendChild(row);
}

function addDatabaseRow(name, owner) {
  const row = document.createElement('div');
  row.className = 'list-row database-row';
  row.innerHTML = `<input type="text" class="database-name" placeholder="database" value="${esc(name || '')}">
    owner <input type="text" class="database-owner" placeholder="owner (a user)" value="${esc(owner || '')}">
    <button type="button" class="link remove">remove</button>`;
  $('#databases').appendChild(row);
}

function readForm() {
  const v = (id) => $('#' + id).value.trim();
  const num = (id) => v(id) === '' ? null : parseInt(v(id), 10);
  const on = (id) => !!($('#' + id) && $('#' + id).checked);
  const users = {};
  document.querySelectorAll('.user-row').forEach(r => {
    const n = $('.user-name', r).value.trim();
    if (n) users[n] = [...r.querySelectorAll('.user-flag:checked')].map(c => c.value);
  });
  const databases = {};
  document.querySelectorAll('.database-row').forEach(r => {
    const n = $('.database-name', r).value.trim();
    if (n) databases[n] = $('.database-owner', r).value.trim();
  });
  const cfg = state.config;
  const confined = cfg.target_namespace && cfg.target_namespace !== '*';
  return {
    name: v('name'), namespace: confined ? cfg.target_namespace : v('namespace'), team: v('team'),
    version: v('version'), instances: num('instances') || 0,
    masterLoadBalancer: on('masterLoadBalancer'), replicaLoadBalancer: on('replicaLoadBalancer'),
    connectionPooler: on('connectionPooler'), replicaConnectionPooler: on('replicaConnectionPooler'),
    masterPoolerLoadBalancer: on('masterPoolerLoadBalancer'), replicaPoolerLoadBalancer: on('replicaPoolerLoadBalancer'),
    volumeSize: gibibytesUnlessSaid(v('volumeSize')), storageClass: v('storageClass') || null,
    iops: num('iops'), throughput: num('throughput'),
    cpuRequest: v('cpuRequest') && v('cpuRequest') + 'm', cpuLimit: v('cpuLimit') && v('cpuLimit') + 'm',
    memoryRequest: v('memoryRequest') && v('memoryRequest') + 'Mi', memoryLimit: v('memoryLimit') && v('memoryLimit') + 'Mi',
    users, databases,
    allowedSourceRanges: $('#allowedSourceRanges').value.split('\n').map(s => s.trim()).filter(s => s)
  };
}

// The field used to take whole Gi, and people still type "5" meaning 5Gi (5 bytes is no volume); anything else goes
// to the server as written, so that a wrong value is named there rather than emptied here.
function gibibytesUnlessSaid(size) {
  return /^[0-9]+$/.test(size) ? size + 'Gi' : size;
}

function fillForm(f) {
  const set = (id, val) => { const el = $('#' + id); if (el && val !== null && val !== undefined) el.value = val; };
  const unit = (s, u) => s ? String(s).replace(u, '') : '';
  set('name', f.name); set('namespace', f.namespace); set('team', f.team); set('version', f.version);
  set('instances', f.instances);
  ['masterLoadBalancer', 'replicaLoadBalancer', 'connectionPooler', 'replicaConnectionPooler',
    'masterPoolerLoadBalancer', 'replicaPoolerLoadBalancer'].forEach(id => { if ($('#' + id)) $('#' + id).checked = !!f[id]; });
  set('volumeSize', f.volumeSize || ''); set('storageClass', f.storageClass || '');
  set('iops', f.iops === null ? '' : f.iops); set('throughput', f.throughput === null ? '' : f.throughput);
  set('cpuRequest', unit(f.cpuRequest, 'm')); set('cpuLimit', unit(f.cpuLimit, 'm'));
  set('memoryRequest', unit(f.memoryRequest, 'Mi')); set('memoryLimit', unit(f.memoryLimit, 'Mi'));
  Object.entries(f.users || {}).forEach(([n, fl]) => addUserRow(n, fl));
  Object.entries(f.databases || {}).forEach(([n, o]) => addDatabaseRow(n, o));
  $('#allowedSourceRanges').value = (f.allowedSourceRanges || []).join('\n');
}

function wireForm(onChange) {
  let pending = null;
  const changed = () => { clearTimeout(pending); pending = setTimeout(onChange, 120); };
  const form = $('#cluster-form');
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  form.addEventListener('click', (ev) => {
    if (ev.target.matches('button.remove')) { ev.target.parentElement.remove(); changed(); }
  });
  $('#add-user').addEventListener('click', () => { addUserRow('', []); changed(); });
  $('#add-database').addEventListener('click', () => { addDatabaseRow('', ''); changed(); });
  $('#team').addEventListener('change', () => {
    const name = $('#name');
    if (!name.readOnly && (name.value === '' || state.teams.some(t => name.value === t + '-'))) name.value = $('#team').value + '-';
  });
}

// What applying the edit would do, as `cornac diff` says it: objects, pods recreated in order, waits, roles.
function showPlan(plan) {
  const box = $('#plan');
  if (!box) return;
  if (!plan) { box.innerHTML = ''; return; }
  if (!plan.changes) { box.innerHTML = '<h2>What this change does</h2><p>No changes.</p>'; return; }
  const mark = { create: '+', update: '~', replace: '!', delete: '-' };
  const objects = plan.objects.map(o => `<li>${mark[o.action]} ${esc(o.kind)} ${esc(o.name)}: ${esc(o.action)}${o.action === 'replace' ? ' (Kubernetes refuses this change in place; the pods keep running)' : ''}${o.fields.length ? '<br><code>' + o.fields.map(esc).join('</code><br><code>') + '</code>' : ''}</li>`).join('');
  const pods = plan.podRestarts.map((p, i) => (i === plan.podRestarts.length - 1 && plan.switchover ? `<li class="switchover">then ${esc(plan.switchover)}</li>` : '') + `<li>${esc(p)}</li>`).join('');
  const list = (title, items, id) => items.length ? `<h3>${title}</h3><ul id="${id}">${items.map(i => `<li>${esc(i)}</li>`).join('')}</ul>` : '';
  box.innerHTML = '<h2>What this change does</h2>'
    + (objects ? `<h3>Objects</h3><ul id="plan-objects">${objects}</ul>` : '')
    + (pods ? `<h3>Pods recreated, in this order</h3><ol id="plan-pods">${pods}</ol>` : '')
    + list('Scaling', plan.scaling, 'plan-scaling') + list('Waits', plan.waits, 'plan-waits')
    + list('Inside PostgreSQL', plan.inside, 'plan-inside');
}

function dnsName(name, namespace) {
  return (state.config.dns_format_string || '{0}.{1}').replace('{0}', name).replace('{1}', namespace);
}

function showProblems(p) {
  $('#validation').innerHTML = (p.errors || []).map(e => `<li>${esc(e)}</li>`).join('');
  $('#validation-warnings').innerHTML = (p.warnings || []).map(e => `<li>${esc(e)}</li>`).join('');
}

async function newCluster(source) {
  if (state.readOnly) { location.hash = '#/list'; return; }
  const main = $('#main');
  let backups = null;
  if (source) {
    try { backups = await api('GET', `/postgresqls/${encodeURIComponent(source.namespace)}/${encodeURIComponent(source.name)}/backups`); }
    catch (e) { return alertBox(e.message); }
  }
  const cloneHtml = !source ? '' : `<h2>Clone of ${esc(source.namespace)}/${esc(source.name)}</h2>
    <div class="form-row"><label for="cloneTimestamp">Recover to</label><input type="text" id="cloneTimestamp" class="wide" value="${esc((backups.Latest || '').replace(/Z$/, '+00:00'))}"></div>
    <p class="hint" id="clone-range">restorable from ${esc(backups.Earliest || '-')} to ${esc(backups.Latest || '-')} (UTC, ISO-8601 with an offset)</p>`;
  main.innerHTML = `<h1>${source ? 'Clone / restore ' + esc(source.name) : 'New PostgreSQL cluster'}</h1><div class="columns">
    <section><h2>Cluster YAML definition</h2><pre id="yaml-preview"></pre>
      <ul id="validation" class="errors"></ul><ul id="validation-warnings" class="warnings"></ul>
      <button type="button" id="create" disabled>Create cluster</button>
      <button type="button" id="copy" class="secondary">Copy definition</button></section>
    <section><h2>New cluster configuration</h2>${cloneHtml}${formHtml(false)}</section></div>`;
  $('#name').value = (state.teams[0] || '') + '-';
  const versions = (state.config.postgresql_versions || []).slice().sort((a, b) => Number(b) - Number(a));
  if (versions.length) $('#version').value = versions[0];
  if (source) {
    // A clone starts as a copy of its source: same version, size, resources, users and databases.
    try {
      const src = await api('GET', `/postgresqls/${encodeURIComponent(source.namespace)}/${encodeURIComponent(source.name)}`);
      fillForm(Object.assign({}, src.form, { name: source.name + '-clone', namespace: source.namespace }));
    } catch (e) { alertBox(e.message); }
    $('#cloneTimestamp').addEventListener('input', () => { clearTimeout(state.cloneTimer); state.cloneTimer = setTimeout(update, 150); });
  }
  let last = null;
  // A blank form's problems (it has no name yet) would greet the user in red before they typed anything; they show
  // from the first keystroke, and Create stays disabled meanwhile. A clone starts filled in: its problems are real.
  let typed = !!source;
  const update = async () => {
    const f = readForm();
    if (source) {
      f.cloneCluster = source.name; f.cloneUid = backups.Uid || null; f.cloneTimestamp = $('#cloneTimestamp').value.trim();
    }
    $('#dns-name').textContent = dnsName(f.name, f.namespace);
    try {
      last = await api('POST', '/preview', { form: f });
      $('#yaml-preview').textContent = last.yaml;
      showProblems(typed ? last : {});
      $('#create').disabled = last.errors.length > 0;
    } catch (e) { alertBox(e.message); }
  };
  wireForm(() => { typed = true; return update(); });
  $('#create').addEventListener('click', async () => {
    $('#create').disabled = true;
    try {
      const f = readForm();
      if (source) { f.cloneCluster = source.name; f.cloneUid = backups.Uid || null; f.cloneTimestamp = $('#cloneTimestamp').value.trim(); }
      const r = await api('POST', '/create-cluster', { form: f });
      location.hash = `#/status/${r.namespace}/${r.name}`;
      setTimeout(() => alertBox('Created ' + r.namespace + '/' + r.name, true), 50);
    } catch (e) { alertBox('Create failed: ' + e.message); $('#create').disabled = false; }
  });
  $('#copy').addEventListener('click', () => { if (navigator.clipboard) navigator.clipboard.writeText($('#yaml-preview').textContent); });
  await update();
}

async function editCluster(ns, name) {
  if (state.readOnly) { location.hash = `#/status/${ns}/${name}`; return; }
  const here = location.hash;
  let current;
  try { current = await api('GET', `/postgresqls/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`); }
  catch (e) { return alertBox(e.message); }
  if (!stillOn(here)) return;
  const main = $('#main');
  main.innerHTML = `<h1>Edit ${esc(ns)}/${esc(name)}</h1>
    <div class="tabs"><button type="button" id="tab-form" class="active">Form</button><button type="button" id="tab-yaml">YAML</button></div>
    <div class="columns" id="pane-form"><section><h2>Resulting manifest</h2><pre id="yaml-preview"></pre>
      <p class="hint">Fields the form does not show are kept as they are.</p>
      <div id="problems"><ul id="validation" class="errors"></ul><ul id="validation-warnings" class="warnings"></ul></div>
      <button type="button" id="apply-form">Apply changes</button></section>
      <section>${formHtml(true)}</section></div>
    <div id="pane-yaml" class="hidden"><textarea id="yaml-editor" class="yaml" spellcheck="false"></textarea>
      <button type="button" id="apply-yaml">Apply YAML</button></div>
    <section id="plan" class="plan"></section>`;
  fillForm(current.form);
  $('#dns-name').textContent = dnsName(name, ns);
  // The problems sit right above the button that would apply them, in whichever tab is open.
  const problemsAbove = (button) => $('#' + button).before($('#problems'));
  $('#yaml-editor').value = current.yaml;
  const base = current.manifest;
  const updateForm = async () => {
    try {
      const p = await api('POST', '/preview', { form: readForm(), edit: { namespace: ns, name } });
      $('#yaml-preview').textContent = p.yaml;
      showProblems(p);
      showPlan(p.plan);
      $('#apply-form').disabled = p.errors.length > 0;
    } catch (e) { alertBox(e.message); }
  };
  const updateYaml = async () => {
    try {
      const p = await api('POST', '/preview', { yaml: $('#yaml-editor').value, edit: { namespace: ns, name } });
      showProblems(p);
      showPlan(p.plan);
      $('#apply-yaml').disabled = p.errors.length > 0;
    } catch (e) { alertBox(e.message); }
  };
  wireForm(updateForm);
  let pending = null;
  $('#yaml-editor').addEventListener('input', () => { clearTimeout(pending); pending = setTimeout(updateYaml, 200); });
  $('#tab-form').addEventListener('click', () => { $('#pane-form').classList.remove('hidden'); $('#pane-yaml').classList.add('hidden'); $('#tab-form').classList.add('active'); $('#tab-yaml').classList.remove('active'); problemsAbove('apply-form'); updateForm(); });
  $('#tab-yaml').addEventListener('click', () => { $('#pane-yaml').classList.remove('hidden'); $('#pane-form').classList.add('hidden'); $('#tab-yaml').classList.add('active'); $('#tab-form').classList.remove('active'); problemsAbove('apply-yaml'); updateYaml(); });
  const apply = async (body) => {
    try {
      await api('POST', `/postgresqls/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`, body);
      location.hash = `#/status/${ns}/${name}`;
      setTimeout(() => alertBox('Applied changes to ' + ns + '/' + name, true), 50);
    } catch (e) { alertBox('Apply failed: ' + e.message); }
  };
  $('#apply-form').addEventListener('click', () => apply({ form: readForm() }));
  $('#apply-yaml').addEventListener('click', () => apply({ yaml: $('#yaml-editor').value }));
  void base;
  await updateForm();
}

// ---- operator ----------------------------------------------------------------------------------------------------

async function operatorPage() {
  const main = $('#main');
  let s;
  try { s = await api('GET', '/operator/status'); } catch (e) { main.innerHTML = '<h1>Operator</h1>'; return alertBox(e.message); }
  const queues = s.status.WorkerQueueSize || {};
  main.innerHTML = `<h1>Operator</h1>
    <p>${s.status.Clusters} clusters; last sync ${s.status.LastSyncTime ? new Date(s.status.LastSyncTime * 1000).toISOString() : 'never'}</p>
    <table id="workers"><thead><tr><th>Worker</th><th>Status</th><th>Queue</th><th></th></tr></thead><tbody>
    ${Object.keys(queues).map(id => {
      const w = s.workers[id];
      const busy = w && typeof w === 'object' ? `${esc(w.CurrentProcess.Name)} ${esc(w.CurrentCluster.Namespace)}/${esc(w.CurrentCluster.Name)}` : 'idle';
      return `<tr><td>${esc(id)}</td><td>${busy}</td><td>${queues[id]}</td><td><button type="button" class="link worker-logs" data-id="${esc(id)}">Logs</button>
        <button type="button" class="link worker-queue" data-id="${esc(id)}">Queue</button></td></tr>`;
    }).join('')}</tbody></table><h2 id="worker-title"></h2><table id="worker-detail"><tbody></tbody></table>`;
  $('#workers').addEventListener('click', async (ev) => {
    const b = ev.target.closest('button');
    if (!b) return;
    try {
      if (b.classList.contains('worker-logs')) {
        const logs = await api('GET', `/operator/workers/${b.dataset.id}/logs`);
        $('#worker-title').textContent = 'Worker ' + b.dataset.id + ' log';
        $('#worker-detail tbody').innerHTML = logs.slice().reverse().map(l => `<tr><td>${esc(l.Time)}</td><td><span class="badge ${esc(l.Level)}">${esc(l.Level)}</span></td><td>${esc(l.ClusterName)}</td><td>${esc(l.Message)}</td></tr>`).join('');
      } else {
        const q = await api('GET', `/operator/workers/${b.dataset.id}/queue`);
        $('#worker-title').textContent = 'Worker ' + b.dataset.id + ' queue';
        $('#worker-detail tbody').innerHTML = q.List.map(e => `<tr><td>${esc(e.EventType)}</td><td>${esc(e.Namespace)}/${esc(e.Name)}</td><td>${esc(e.UID)}</td></tr>`).join('') || '<tr><td class="muted">empty</td></tr>';
      }
    } catch (e) { alertBox(e.message); }
  });
}

start();
