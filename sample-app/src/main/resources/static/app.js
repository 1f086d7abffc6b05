'use strict';

// The record browser: tables from /schema, records from /records/{table}, live changes from /events.
// Every name from the database is shown with textContent, never as HTML.

const LIMIT = 200;
const KINDS = ['CREATE_TABLE', 'DESTROY_TABLE', 'INSERT', 'UPDATE', 'DELETE', 'MISSED', 'NOT_ANNOUNCED'];
const $ = (id) => document.getElementById(id);

let selected = null;
const changedIds = new Set();
const pending = new Map();

async function getJson(path) {
	const response = await fetch(path, { headers: { Accept: 'application/json' } });
	if (!response.ok) {
		throw new Error(`${path}: ${response.status}`);
	}
	return response.json();
}

function element(tag, text, className) {
	const node = document.createElement(tag);
	if (text !== undefined) node.textContent = text;
	if (className) node.className = className;
	return node;
}

// Runs a refresh once, shortly after a burst of changes.
function soon(refresh) {
	clearTimeout(pending.get(refresh));
	pending.set(refresh, setTimeout(() => refresh().catch(console.error), 150));
}

async function loadTables() {
	const tables = await getJson('schema');
	const names = Object.keys(tables);
	$('tables').replaceChildren(...names.map((name) => {
		const button = element('button', name);
		button.append(element('span', String(tables[name]), 'count'));
		button.classList.toggle('selected', name === selected);
		button.onclick = () => select(name);
		const item = element('li');
		item.append(button);
		return item;
	}));
	$('no-tables').hidden = names.length > 0;
	if (selected === null && names.length > 0) {
		select(names[0]);
	}
}

async function loadRecords() {
	if (selected === null) return;
	const table = selected;
	const records = await getJson(`records/${encodeURIComponent(table)}?limit=${LIMIT}`);
	if (table !== selected) return;
	$('records').replaceChildren(...records.map((record) => {
		const row = element('tr');
		const json = JSON.stringify(record.value);
		const value = element('code', json);
		value.title = json;
		const cell = element('td');
		cell.append(value);
		row.append(element('td', record.id), element('td', String(record.version)), cell);
		row.classList.toggle('changed', changedIds.has(record.id));
		return row;
	}));
	changedIds.clear();
	$('records-note').textContent = records.length === 0 ? 'No records.'
		: records.length === LIMIT ? `The first ${LIMIT} records.` : '';
}

function select(table) {
	selected = table;
	$('records-title').textContent = `Records of ${table}`;
	for (const button of $('tables').querySelectorAll('button')) {
		button.classList.toggle('selected', button.firstChild.textContent === table);
	}
	loadRecords().catch(console.error);
}

function refreshAll() {
	soon(loadTables);
	soon(loadRecords);
}

function log(change) {
	const item = element('li');
	const where = change.event === 'MISSED' ? `schema ${change.schema}: reloading`
		: change.event === 'NOT_ANNOUNCED' ? `${change.table} / ${change.id}: a deepstream server was not told; its clients may see an old version`
			: change.id !== undefined ? `${change.table} / ${change.id}` : change.table;
	item.append(element('span', new Date().toLocaleTimeString(), 'time'), element('span', change.event, 'kind'),
		element('span', where));
	const changes = $('changes');
	changes.prepend(item);
	while (changes.children.length > 100) changes.lastChild.remove();
}

function onChange(change) {
	log(change);
	if (change.event === 'MISSED') {
		refreshAll();
		return;
	}
	if (change.event === 'NOT_ANNOUNCED') {
		return; // nothing changed in PostgreSQL: only the deepstream server's view is behind
	}
	soon(loadTables);
	if (change.table === selected) {
		if (change.id !== undefined) changedIds.add(change.id);
		soon(loadRecords);
	}
}

function connect() {
	const status = $('status');
	const events = new EventSource('events');
	events.onopen = () => {
		status.textContent = 'live';
		status.classList.add('live');
		refreshAll(); // changes may have happened while we were not connected
	};
	events.onerror = () => {
		status.textContent = 'reconnecting…';
		status.classList.remove('live');
	};
	for (const kind of KINDS) {
		events.addEventListener(kind, (event) => onChange(JSON.parse(event.data)));
	}
}

$('curl').textContent = `curl -X PUT -H 'Content-Type: application/json' -d '{"color":"blue"}' `
	+ new URL('records/cars/bmw', location.href);
loadTables().catch(console.error);
connect();
