// The verification panel of a record page (#verification): checks, in the browser,
// that the record shown (#leaf-bytes) is in the log under its signed checkpoint.
//   1. the checkpoint's Ed25519 signature, by the site's verifier key (or the key
//      given as ?key=..., to pin one obtained elsewhere);
//   2. the record's bytes equal its entry in the log's entry bundle;
//   3. its RFC 6962 leaf hash, with an inclusion proof built from the hash tiles, leads
//      to the checkpoint's root.
// Outcome in #verify-status: class verify-ok ("已验证 Verified: …"), verify-failed
// ("验证失败 Verification FAILED: …"), or verify-pending (a record newer than the
// published checkpoint).

import * as tlog from './tlog.js';

const panel = document.getElementById('verification');
const status = document.getElementById('verify-status');
const steps = document.getElementById('verify-steps');
const root = document.body.dataset.root || '';

function step(text) {
  const li = document.createElement('li');
  li.textContent = text;
  steps.appendChild(li);
}

function finish(className, text) {
  status.className = className;
  status.textContent = text;
  panel.dataset.outcome = className;
}

async function fetchBytes(path, fresh = false) {
  const response = await fetch(root + path, { cache: fresh ? 'no-store' : 'default' });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

const decode = (bytes) => new TextDecoder('utf-8', { fatal: true }).decode(bytes);

// The record's index as the page's address says it (record/<folder>/<index>.html), or
// null when the page is served under another name.
function indexFromAddress() {
  const m = /\/record\/(\d+)\/(\d+)\.html$/.exec(location.pathname);
  return m ? Number(m[2]) : null;
}

async function verify() {
  const index = Number(panel.dataset.index);
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new Error(`the page names no record index ("${panel.dataset.index}")`);
  }
  // A page moved to another record's address (or edited to name another index) must not
  // verify as that record.
  const addressed = indexFromAddress();
  if (addressed !== null && addressed !== index) {
    throw new Error(`this page is record #${index} but is served as record #${addressed}`);
  }
  const shown = tlog.utf8(document.getElementById('leaf-bytes').textContent);

  const pinned = new URLSearchParams(location.search).get('key');
  const key = await tlog.parseVerifierKey(pinned || decode(await fetchBytes('verifier.key')));
  step(`验证密钥 Verifier key${pinned ? ' (pinned)' : ''}: ${key.text}`);

  const opened = await tlog.openNote(decode(await fetchBytes('checkpoint', true)), key);
  const checkpoint = tlog.parseCheckpoint(opened.text);
  step(`检查点签名有效 Checkpoint signature valid (${opened.implementation}): ` +
       `${checkpoint.origin}, ${checkpoint.size} records, root ${tlog.hex(checkpoint.root)}`);
  if (index >= checkpoint.size) {
    finish('verify-pending', `尚未纳入 Not yet covered: the published checkpoint has ${checkpoint.size} ` +
           `records; record #${index} will be verifiable after the next update.`);
    return;
  }

  const log = new tlog.TileLog(checkpoint.size, (path) => fetchBytes(path));
  const entry = await log.entry(index);
  if (!tlog.equalBytes(entry, shown)) {
    throw new Error(`the record shown differs from entry ${index} of the log's entry bundle`);
  }
  step(`记录与日志条目一致 Record bytes equal log entry #${index} (${entry.length} bytes)`);

  const leaf = await tlog.leafHash(entry);
  const proof = await log.inclusionProof(index);
  step(`叶子哈希 Leaf hash ${tlog.hex(leaf)}; 包含证明 inclusion proof of ${proof.length} hashes ` +
       `from ${log.fetched} tile files`);
  if (!(await tlog.verifyInclusion(index, checkpoint.size, leaf, proof, checkpoint.root))) {
    throw new Error('the inclusion proof from the tiles does not lead to the checkpoint\'s root');
  }
  finish('verify-ok', `已验证 Verified: record #${index} is included in the log of ${checkpoint.size} records, ` +
         `checkpoint signed by ${key.name} (key ${key.keyId})`);
}

verify().catch((e) => finish('verify-failed', `验证失败 Verification FAILED: ${e.message}`));
