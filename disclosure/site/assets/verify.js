// The verification panel of a record page (#verification): checks, in the browser, that
// what the page shows is what the log holds.
//   1. the checkpoint's Ed25519 signature, by the site's verifier key (or the key given
//      as ?key=..., to pin one obtained elsewhere);
//   2. the record's leaf, from the log's entry bundle, with an inclusion proof built from
//      the hash tiles up to the checkpoint's root; the leaf shown (#leaf-bytes) is it;
//   3. the body published beside it (and shown, #body-bytes) hashes, with its salt, to the
//      digest the leaf names; or, for a withdrawn record, its WITHDRAWAL record (verified
//      the same way) names it;
//   4. every line of #record-content, and the title, is what that verified body (or
//      withdrawal) says (views.js): a page whose shown fields were edited fails, naming
//      the field.
// Outcome in #verify-status: class verify-ok ("已验证 Verified: …"), verify-failed
// ("验证失败 Verification FAILED: …"), or verify-pending (a record newer than the
// published checkpoint).

import * as tlog from './tlog.js';
import { openLog, siteFetcher, verificationPanel, verifiedRecord } from './records.js';
import { checkRegion, checkTitle, loadDepartments, recordItems, recordTitle, withdrawnItems } from './views.js';

const { panel, step, finish } = verificationPanel();
const root = document.body.dataset.root || '';
const fetchBytes = siteFetcher(root);

// The record's index as the page's address says it (record/<folder>/<index>.html), or
// null when the page is served under another name.
function indexFromAddress() {
  const m = /\/record\/(\d+)\/(\d+)\.html$/.exec(location.pathname);
  return m ? Number(m[2]) : null;
}

function parseIndex(text, what) {
  const n = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || !Number.isSafeInteger(n)) {
    throw new Error(`the page names no ${what} ("${text}")`);
  }
  return n;
}

// The text of a <pre> shown on the page, as bytes.
function shownBytes(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return tlog.utf8(el.textContent);
}

async function verify() {
  const index = parseIndex(panel.dataset.index, 'record index');
  // A page moved to another record's address (or edited to name another index) must not
  // verify as that record.
  const addressed = indexFromAddress();
  if (addressed !== null && addressed !== index) {
    throw new Error(`this page is record #${index} but is served as record #${addressed}`);
  }
  const withdrawnBy = panel.dataset.withdrawnBy;

  const log = await openLog(fetchBytes, new URLSearchParams(location.search).get('key'), step);
  const size = log.checkpoint.size;
  if (index >= size || (withdrawnBy !== undefined && parseIndex(withdrawnBy, 'withdrawal') >= size)) {
    finish('verify-pending', `尚未纳入 Not yet covered: the published checkpoint has ${size} ` +
           `records; record #${index} will be verifiable after the next update.`);
    return;
  }

  await loadDepartments(fetchBytes);
  if (!tlog.equalBytes(await log.tiles.entry(index), shownBytes('leaf-bytes'))) {
    throw new Error(`the leaf shown differs from entry ${index} of the log's entry bundle`);
  }
  const record = await verifiedRecord(log, fetchBytes, index, { withBody: withdrawnBy === undefined, step });
  const region = document.getElementById('record-content');
  if (!region) throw new Error('the page has no #record-content');
  const signed = `checkpoint signed by ${log.key.name} (key ${log.key.keyId})`;

  if (withdrawnBy === undefined) {
    if (!tlog.equalBytes(record.bodyBytes, shownBytes('body-bytes'))) {
      throw new Error(`the body shown differs from record #${index}'s body`);
    }
    checkTitle(recordTitle(index, record.entry.kind));
    checkRegion(region, recordItems(root, index, record.entry));
    step('页面所示与记录正文逐项一致 Every field shown is the verified body\'s');
    const pretty = document.getElementById('pretty');
    if (pretty) pretty.textContent = JSON.stringify(record.entry, null, 2);
    finish('verify-ok', `已验证 Verified: record #${index} is included in the log of ${size} records, ` +
           `${signed}; every field shown is its body's`);
    return;
  }

  // Withdrawn: its leaf stays; its WITHDRAWAL record must name it.
  const by = parseIndex(withdrawnBy, 'withdrawal');
  const withdrawal = await verifiedRecord(log, fetchBytes, by, { step });
  const w = withdrawal.entry.withdrawal;
  if (withdrawal.entry.kind !== 'WITHDRAWAL' || !w || String(w.withdrawn_index) !== String(index) ||
      w.withdrawn_key !== record.leaf.key) {
    throw new Error(`record #${by} does not withdraw record #${index}`);
  }
  step(`记录 #${by} 撤回了本记录的正文 Record #${by} withdraws this record's body`);
  checkTitle(recordTitle(index, record.leaf.kind));
  checkRegion(region, withdrawnItems(root, index, record.leaf, by, w));
  finish('verify-ok', `已验证 Verified: record #${index} is included in the log of ${size} records, ` +
         `${signed}; its body was withdrawn on ${w.withdrawn_date} (${w.legal_basis}) by record #${by}`);
}

verify().catch((e) => finish('verify-failed', `验证失败 Verification FAILED: ${e.message}`));
