// Search by credit code or enterprise name over the static index shards
// (disclosure/site/search_index.h): one shard for a code, one per bigram of a name.
// NormalizeForSearch, SearchTerms and ShardOf repeat the C++ code; paths.js the paths.

import { sha256 } from './crypto.js';
import { enterprisePagePath as enterprisePath } from './paths.js';

const root = document.body.dataset.root || '';
const status = document.getElementById('search-status');
const list = document.getElementById('search-results');
const query = (new URLSearchParams(location.search).get('q') || '').trim();
document.getElementById('q').value = query;

function normalize(text) {
  let out = '';
  for (const ch of text) {
    let c = ch.codePointAt(0);
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;  // full-width ASCII
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x3000) continue;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    out += String.fromCodePoint(c);
  }
  return out;
}

function terms(normalized) {
  const cps = Array.from(normalized);
  if (cps.length === 1) return cps;
  const out = [];
  for (let i = 0; i + 1 < cps.length; i++) {
    const t = cps[i] + cps[i + 1];
    if (!out.includes(t)) out.push(t);
  }
  return out;
}

async function shardOf(key) {
  const digest = await sha256(new TextEncoder().encode(key));
  const [a, b] = Array.from(digest.slice(0, 2), (x) => x.toString(16).padStart(2, '0'));
  return `${a}/${b}`;
}

async function fetchShard(path) {
  const response = await fetch(root + path);
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

function show(matches) {
  for (const [code, name] of matches) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.className = 'result-link';
    a.href = root + enterprisePath(code);
    a.textContent = name || code;
    const small = document.createElement('code');
    small.textContent = code;
    li.append(a, ' ', small);
    list.appendChild(li);
  }
  status.className = 'search-done';
  status.textContent = matches.length > 0
    ? `找到 ${matches.length} 家企业 Found ${matches.length} enterprises`
    : '未找到 No enterprise found';
}

async function byCode(code) {
  const shard = await fetchShard(`search/code/${await shardOf(code)}.json`);
  const name = shard && shard.codes ? shard.codes[code] : undefined;
  show(name === undefined ? [] : [[code, name]]);
}

async function byName(text) {
  const normalized = normalize(text);
  const wanted = terms(normalized).slice(0, 12);
  if (wanted.length === 0) return show([]);
  const postings = await Promise.all(wanted.map(async (term) => {
    const shard = await fetchShard(`search/name/${await shardOf(term)}.json`);
    return shard && shard.terms ? shard.terms[term] : undefined;
  }));
  if (postings.some((p) => p === undefined)) return show([]);  // a bigram no name has
  const lists = postings.filter((p) => p !== 'common');
  if (lists.length === 0) {
    status.className = 'search-done';
    status.textContent = '查询过于宽泛，请输入更多字 Too general: add more characters';
    return;
  }
  lists.sort((a, b) => a.length - b.length);
  let candidates = lists[0];
  for (const other of lists.slice(1)) {
    const codes = new Set(other.map(([code]) => code));
    candidates = candidates.filter(([code]) => codes.has(code));
  }
  const seen = new Set();
  show(candidates.filter(([code, name]) => {
    if (seen.has(code) || !normalize(name).includes(normalized)) return false;
    seen.add(code);
    return true;
  }));
}

if (query !== '') {
  status.className = 'search-running';
  status.textContent = '正在搜索… Searching…';
  const code = query.toUpperCase().replace(/\s+/g, '');
  (/^[0-9A-Z]{18}$/.test(code) ? byCode(code) : byName(query)).catch((e) => {
    status.className = 'search-failed';
    status.textContent = `搜索失败 Search failed: ${e.message}`;
  });
}
