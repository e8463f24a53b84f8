// What a record page and a plan page must show, computed from verified records and
// bundles, and the check that a page shows exactly that (docs/disclosure.md,
// "Verifying in the browser"). The lines repeat the C++ views (record_page.cc,
// result_view.cc, plan_page.cc, draw_bundle_view.cc, public_entry.cc): keep them in
// step; the browser test publishes every kind of record and checks each page verifies.
//
// A page's verified region holds only "items": <dt> labels and <dd> values, headings,
// table cells and notices. checkRegion compares them, in order, with the expected items:
// text (white space collapsed) and link targets. The first difference fails the page,
// naming the field; so does any text outside an item. An item's "marks" (the UTC
// instant of each <time datetime> and the code of each data-department in it, in order)
// are compared too: the machine-readable values must be the record's as well.

import { bundlePath, enterprisePagePath, planPagePath, recordPagePath } from './paths.js';

const ITEM_TAGS = new Set(['DT', 'DD', 'H2', 'H3', 'TH', 'TD', 'P', 'LI', 'CAPTION']);

export const normalize = (text) => String(text).replace(/\s+/g, ' ').trim();

// --- Times and departments (local_time.cc, departments.cc) --------------------------

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const pad = (n, w = 2) => String(n).padStart(w, '0');

// An RFC 3339 UTC time as the page shows it: Asia/Shanghai (UTC+8, no daylight saving
// since 1991), "2026-03-01 16:00:00 CST (UTC+8)", and the instant for <time datetime>
// ("2026-03-01T08:00:00Z"); text it does not understand is shown as it is, unmarked.
export function localTime(utc) {
  const text = utc === undefined || utc === null ? '' : String(utc);
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z$/.exec(text);
  if (!m) return { text, datetime: '' };
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = mo === 2 && leap ? 29 : DAYS[mo - 1];
  if (mo < 1 || mo > 12 || d < 1 || d > days || h > 23 || mi > 59 || s > 59) return { text, datetime: '' };
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);  // not Date.UTC, which reads years below 100 as 19xx
  t.setUTCHours(h + 8, mi, s, 0);
  return {
    text: `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ` +
          `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} CST (UTC+8)`,
    datetime: `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}Z`,
  };
}

// The department table (assets/departments.json), loaded once by the page's script
// (loadDepartments) before it computes what the page must show.
let departments = {};

export async function loadDepartments(fetchBytes) {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(await fetchBytes('assets/departments.json'));
  departments = JSON.parse(text);
}

// "市场监管局 Market regulation" for a known code, the code itself otherwise.
export function departmentText(code) {
  const c = code === undefined || code === null ? '' : String(code);
  const known = Object.prototype.hasOwnProperty.call(departments, c) ? departments[c] : null;
  return Array.isArray(known) && known.length === 2 ? `${known[0]} ${known[1]}` : c;
}

const timeMark = (utc) => { const t = localTime(utc); return t.datetime ? [`time ${t.datetime}`] : []; };
const departmentMarks = (codes) => codes.map((c) => (c === undefined || c === null ? '' : String(c)))
  .filter((c) => c !== '').map((c) => `department ${c}`);

// A field or cell value for a time: { text, marks }.
export const timeValue = (utc) => ({ text: localTime(utc).text, marks: timeMark(utc) });
// For a list of department codes, joined with "、" as the C++ does.
export const departmentsValue = (codes) => ({
  text: list(codes).map(departmentText).join('、'), marks: departmentMarks(list(codes)),
});

// Expected items, built like the C++ FieldList and tables.
export class Items {
  constructor(root) {
    this.root = root;
    this.items = [];
  }

  // A labelled field; skipped when its text is empty (FieldList::Text, ::Code, ::Html).
  // `text` may be a value with marks ({ text, marks }: timeValue, departmentsValue).
  field(zh, en, text, { href = null, path = '' } = {}) {
    const marked = text !== null && typeof text === 'object';
    const value = marked ? String(text.text) : text === undefined || text === null ? '' : String(text);
    if (value === '') return this;
    const label = `${zh} ${en}`;
    this.items.push({ tag: 'DT', text: label });
    this.items.push({ tag: 'DD', text: value, hrefs: href === null ? [] : [this.root + href], label, path,
                      marks: marked ? text.marks : [] });
    return this;
  }

  // A <dt>/<dd> pair that is rendered even when empty.
  pair(zh, en, text, path = '') {
    this.items.push({ tag: 'DT', text: `${zh} ${en}` });
    this.items.push({ tag: 'DD', text: String(text), hrefs: [], label: `${zh} ${en}`, path });
    return this;
  }

  heading(tag, zh, en) {
    this.items.push({ tag, text: `${zh} ${en}` });
    return this;
  }

  notice(text) {
    this.items.push({ tag: 'P', text });
    return this;
  }

  // A table row: cells are strings or { text, href, label, path, marks }; `label` names the
  // row's cells in messages unless a cell has its own.
  row(tag, cells, label = '') {
    cells.forEach((c, i) => {
      const cell = typeof c === 'object' ? c : { text: c };
      this.items.push({
        tag, text: String(cell.text), hrefs: cell.href ? [this.root + cell.href] : [],
        label: cell.label || (label && `${label}, column ${i + 1}`), path: cell.path || '',
        marks: cell.marks || [],
      });
    });
    return this;
  }

  link(index) {
    return { text: `记录 Record #${index}`, href: recordPagePath(index) };
  }
}

// --- Names (public_entry.cc) -------------------------------------------------------

const KINDS = {
  COMMITMENT: ['抽查承诺', 'Commitment'], DRAW: ['随机抽取', 'Draw'],
  ANNOUNCEMENT: ['补抽公告', 'Replacement announcement'], RESULT: ['检查结果', 'Result'],
  CORRECTION: ['更正', 'Correction'], WITHDRAWAL: ['撤回', 'Withdrawal'],
  OBJECTION_OUTCOME: ['异议处理结果', 'Objection outcome'],
};

// public_entry.cc ObjectionOutcomeName.
const OBJECTION_OUTCOMES = {
  UPHELD: ['异议成立，已更正', 'Upheld; the result was corrected'],
  REJECTED: ['异议不成立，维持原结果', 'Rejected; the result stands'],
};
const objectionOutcomeText = (o) => (OBJECTION_OUTCOMES[o] || [o, o]).join(' ');
export const kindName = (kind) => KINDS[kind] || [kind, kind];

const CATEGORIES = {
  NO_PROBLEM_FOUND: ['未发现问题', 'No problem found'],
  PROBLEM_FOUND_FOLLOW_UP_PENDING: ['发现问题待后续处理', 'Problem found, follow-up pending'],
  REQUIRED_INFORMATION_NOT_PUBLISHED: ['未按规定公示应当公示的信息', 'Required information not published'],
  PUBLISHED_INFORMATION_FALSE: ['公示信息隐瞒真实情况弄虚作假', 'Published information concealed facts or was false'],
  UNREACHABLE_AT_REGISTERED_ADDRESS: ['通过登记的住所（经营场所）无法联系', 'Unreachable at the registered address'],
  PROBLEM_CORRECTED_ON_ORDER: ['发现问题经责令已改正', 'Problem found and corrected on order'],
  NO_RELEVANT_BUSINESS_ACTIVITY: ['未发现开展本次抽查涉及的经营活动', 'No business activity covered by this inspection'],
  CLOSED_OR_LIQUIDATING: ['已关闭停业或正在组织清算', 'Closed or liquidating'],
  SERIOUS_REFUSAL_TO_COOPERATE: ['不配合检查情节严重', 'Serious refusal to cooperate'],
  OTHER_DEPARTMENT_VIOLATION: ['违反其他部门规定', "Violation of other departments' rules"],
  DEREGISTERED_OR_REVOKED: ['已注销、被吊销、撤销登记或已迁出', 'Deregistered, revoked or moved out'],
};

// public_entry.cc TargetReasonName.
const TARGET_REASONS = {
  COMPLAINT: ['投诉举报', 'Complaint'],
  ALERT: ['风险预警', 'Early-warning alert'],
  REFERRAL: ['转办交办', 'Referral'],
  MONITORING: ['监测发现', 'Monitoring'],
};
const targetReasonText = (reason) => (TARGET_REASONS[reason] || [reason, reason]).join(' ');
// result_view.cc TargetedHtml.
const targetedText = (reason) => `定向检查 Targeted inspection · ${targetReasonText(reason)}`;

function categoryName(result) {
  const known = CATEGORIES[result.category || ''];
  if (known) return [result.category_label || known[0], known[1]];
  return [result.category_label || '', result.category || ''];
}

// --- Values as the C++ prints them ----------------------------------------------------

const str = (v) => (v === undefined || v === null ? '' : String(v));
// int32 fields are JSON numbers, int64 fields strings; absent means 0.
const num = (v) => (v === undefined || v === null || v === '' ? '0' : String(v));
const list = (v) => (Array.isArray(v) ? v : []);
// json_text.cc AsInt: a number, or a string of digits; anything else is 0.
function asInt(v) {
  if (typeof v === 'number') return String(Math.trunc(v));
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return String(Number(v));
  return '0';
}
const member = (o, k) => (o && typeof o === 'object' && !Array.isArray(o) ? o[k] : undefined);
const strMember = (o, k) => (typeof member(o, k) === 'string' ? member(o, k) : '');

// printf("%.4g") for the ratios a plan can hold (0 < x <= 100).
function g4(x) {
  if (x === 0) return '0';
  return String(Number(x.toPrecision(4)));
}

// entropy_view.cc NamedSourcesText: "id; id @ pulse time".
export function namedSourcesText(refs) {
  return list(refs).map((r) => (r.pulse_time ? `${str(r.source_id)} @ ${r.pulse_time}` : str(r.source_id))).join('; ');
}

function quotaText(q) {
  const cls = str(q.risk_class);
  if (q.is_count) return `${cls}: ${num(q.count)} 家 enterprises`;
  return `${cls}: ${g4(Number(num(q.ratio_ppm)) / 1e4)}%`;
}

// --- Record pages (record_page.cc, result_view.cc) -----------------------------------

export function resultFields(items, r, path) {
  const [zh, en] = categoryName(r);
  items.field('企业名称', 'Enterprise', r.enterprise_name || r.credit_code || '',
              { href: enterprisePagePath(str(r.credit_code)), path: `${path}.enterprise_name` })
    .field('统一社会信用代码', 'Credit code', r.credit_code, { path: `${path}.credit_code` })
    .field('检查结果', 'Result', normalize(`${zh} ${en}`), { path: `${path}.category` });
  if (r.target_reason) {
    items.field('检查方式', 'Inspection type', normalize(targetedText(str(r.target_reason))),
                { path: `${path}.target_reason` });
  }
  items.field('检查发现', 'Findings', r.findings, { path: `${path}.findings` })
    .field('后续处理', 'Follow-up measures', r.follow_up_measures, { path: `${path}.follow_up_measures` })
    .field('检查结束日期', 'Inspection ended', r.inspection_end_date, { path: `${path}.inspection_end_date` })
    .field('检查部门', 'Departments', departmentsValue(r.departments), { path: `${path}.departments` });
  if (r.plan_id) items.field('抽查计划', 'Plan', r.plan_id, { href: planPagePath(r.plan_id), path: `${path}.plan_id` });
  items.field('结果编号', 'Result id', r.result_id, { path: `${path}.result_id` })
    .field('审核时间', 'Approved', timeValue(r.approve_time), { path: `${path}.approve_time` })
    .field('公示期限', 'Publication deadline', r.publish_deadline, { path: `${path}.publish_deadline` });
}

function recordHead(items, index, kind, key, publishTime) {
  const [zh, en] = kindName(kind);
  items.field('类型', 'Kind', `${zh} ${en}`, { path: 'kind' })
    .field('记录键', 'Key', key, { path: 'key' })
    .field('公示时间', 'Published', timeValue(publishTime), { path: 'publish_time' })
    .field('日志序号', 'Log index', String(index));
}

// What record `index` shows, from its verified body's entry.
export function recordItems(root, index, entry) {
  const items = new Items(root);
  recordHead(items, index, entry.kind, entry.key, entry.publish_time);
  if (entry.commitment) {
    const c = entry.commitment;
    const plan = c.plan || {};
    items.field('抽查计划', 'Plan', normalize(`${str(plan.plan_id)} ${str(plan.title)}`),
                { href: planPagePath(str(plan.plan_id)), path: 'commitment.plan' })
      .field('计划摘要', 'Plan digest', c.plan_digest, { path: 'commitment.plan_digest' })
      .field('名录摘要', 'Population digest', c.population_digest, { path: 'commitment.population_digest' })
      .field('执法人员名录摘要', 'Roster digest', c.roster_digest, { path: 'commitment.roster_digest' })
      .field('随机数承诺', 'Nonce commitment', c.nonce_commitment, { path: 'commitment.nonce_commitment' })
      .field('承诺摘要', 'Commitment digest', c.commitment_digest, { path: 'commitment.commitment_digest' })
      .field('外部随机源', 'Entropy sources', namedSourcesText(c.entropy_sources), { path: 'commitment.entropy_sources' })
      .field('承诺时间', 'Committed', timeValue(c.commit_time), { path: 'commitment.commit_time' });
  }
  if (entry.draw) {
    const d = entry.draw;
    const bundle = bundlePath(str(d.plan_id), num(d.round));
    items.field('抽查计划', 'Plan', d.plan_id, { href: planPagePath(str(d.plan_id)), path: 'draw.plan_id' })
      .field('轮次', 'Round', num(d.round), { path: 'draw.round' })
      .field('种子', 'Seed', d.seed, { path: 'draw.seed' })
      .field('随机数', 'Nonce', d.nonce, { path: 'draw.nonce' })
      .field('承诺摘要', 'Commitment digest', d.commitment_digest, { path: 'draw.commitment_digest' })
      .field('随机源声明', 'Statements by', list(d.statements).map((st) => str(st.source_id)).join(', '),
             { path: 'draw.statements' })
      .field('抽中企业数', 'Targets', num(d.targets), { path: 'draw.targets' })
      .field('未配齐检查组', 'Unstaffed', num(d.unstaffed), { path: 'draw.unstaffed' })
      .field('抽取结果文件', 'Draw bundle', normalize(`${bundle} SHA-256 ${str(d.bundle_digest)}`),
             { href: bundle, path: 'draw.bundle_digest' })
      .field('替补企业', 'Replaced targets', list(d.replaced_codes).join(', '), { path: 'draw.replaced_codes' })
      .field('替补原因', 'Replacement reason', d.replacement_reason, { path: 'draw.replacement_reason' })
      .field('抽取时间', 'Drawn', timeValue(d.draw_time), { path: 'draw.draw_time' });
  }
  if (entry.announcement) {
    const a = entry.announcement;
    items.field('抽查计划', 'Plan', a.plan_id, { href: planPagePath(str(a.plan_id)), path: 'announcement.plan_id' })
      .field('轮次', 'Round', num(a.round), { path: 'announcement.round' })
      .field('被替补企业', 'Targets to replace', list(a.replaced_codes).join(', '), { path: 'announcement.replaced_codes' })
      .field('替补原因', 'Reason', a.reason, { path: 'announcement.reason' })
      .field('随机数承诺', 'Nonce commitment', a.nonce_commitment, { path: 'announcement.nonce_commitment' })
      .field('承诺摘要', 'Commitment digest', a.commitment_digest, { path: 'announcement.commitment_digest' })
      .field('外部随机源', 'Entropy sources', namedSourcesText(a.entropy_sources), { path: 'announcement.entropy_sources' })
      .field('公告时间', 'Announced', timeValue(a.announce_time), { path: 'announcement.announce_time' });
  }
  if (entry.result) resultFields(items, entry.result, 'result');
  if (entry.entropy_source) {
    const e = entry.entropy_source;
    const src = e.source || {};
    items.field('事件', 'Event', e.event, { path: 'entropy_source.event' })
      .field('随机源', 'Source id', src.source_id, { path: 'entropy_source.source.source_id' })
      .field('名称', 'Name', src.display_name, { path: 'entropy_source.source.display_name' })
      .field('类别', 'Kind', src.kind || 'ENTROPY_SOURCE_KIND_UNSPECIFIED', { path: 'entropy_source.source.kind' })
      .field('所属部门', 'Department', departmentsValue([src.department]), { path: 'entropy_source.source.department' })
      .field('算法', 'Algorithm', src.algorithm, { path: 'entropy_source.source.algorithm' })
      .field('公钥', 'Public key', src.public_key_hex, { path: 'entropy_source.source.public_key_hex' })
      .field('说明', 'Description', src.description, { path: 'entropy_source.source.description' })
      .field('原因', 'Reason', e.reason, { path: 'entropy_source.reason' })
      .field('时间', 'Time', timeValue(e.event_time), { path: 'entropy_source.event_time' });
  }
  if (entry.correction) {
    const c = entry.correction;
    const link = items.link(num(c.corrects_index));
    items.field('更正记录', 'Corrects', link.text, { href: link.href, path: 'correction.corrects_index' })
      .field('更正原因', 'Reason', c.reason, { path: 'correction.reason' })
      .field('依据异议', 'On objection', c.objection_id, { path: 'correction.objection_id' })
      .heading('H2', '更正后的内容', 'Corrected content');
    resultFields(items, c.corrected || {}, 'correction.corrected');
  }
  if (entry.withdrawal) {
    const w = entry.withdrawal;
    const link = items.link(num(w.withdrawn_index));
    items.field('撤回的记录', 'Withdrawn record', link.text, { href: link.href, path: 'withdrawal.withdrawn_index' })
      .field('被撤回记录的键', 'Key of the withdrawn record', w.withdrawn_key, { path: 'withdrawal.withdrawn_key' })
      .field('法律依据', 'Legal basis', w.legal_basis, { path: 'withdrawal.legal_basis' })
      .field('撤回日期', 'Withdrawn on', w.withdrawn_date, { path: 'withdrawal.withdrawn_date' });
  }
  if (entry.objection_outcome) {
    // record_page.cc ObjectionOutcomeView.
    const o = entry.objection_outcome;
    const link = items.link(num(o.objected_index));
    items.field('异议编号', 'Objection', o.objection_id, { path: 'objection_outcome.objection_id' })
      .field('异议的记录', 'Objected record', link.text, { href: link.href, path: 'objection_outcome.objected_index' })
      .field('统一社会信用代码', 'Credit code', o.credit_code, { path: 'objection_outcome.credit_code' })
      .field('结果编号', 'Result id', o.result_id, { path: 'objection_outcome.result_id' })
      .field('处理结果', 'Outcome', o.outcome ? objectionOutcomeText(String(o.outcome)) : '',
             { path: 'objection_outcome.outcome' })
      .field('异议理由', 'Grounds', o.grounds, { path: 'objection_outcome.grounds' })
      .field('处理理由', 'Reason', o.reason, { path: 'objection_outcome.reason' })
      .field('提出日期', 'Filed on', o.filed_date, { path: 'objection_outcome.filed_date' })
      .field('答复期限', 'Answer due', o.answer_deadline, { path: 'objection_outcome.answer_deadline' })
      .field('处理日期', 'Decided on', o.decided_date, { path: 'objection_outcome.decided_date' })
      .field('逾期答复', 'Answered late', o.late ? '是 Yes' : '', { path: 'objection_outcome.late' })
      .field('更正记录键', 'Correction key', o.correction_key, { path: 'objection_outcome.correction_key' });
  }
  return items.items;
}

// What withdrawn record `index` shows: its leaf's fields and its WITHDRAWAL record's.
export function withdrawnItems(root, index, leaf, withdrawalIndex, withdrawal) {
  const items = new Items(root);
  recordHead(items, index, leaf.kind, leaf.key, leaf.publish_time);
  const link = items.link(withdrawalIndex);
  items.field('状态', 'Status', '已撤回 Withdrawn')
    .field('撤回日期', 'Withdrawn on', withdrawal.withdrawn_date, { path: 'withdrawal.withdrawn_date' })
    .field('法律依据', 'Legal basis', withdrawal.legal_basis, { path: 'withdrawal.legal_basis' })
    .field('撤回记录', 'Withdrawal record', link.text, { href: link.href });
  return items.items;
}

export function recordTitle(index, kind) {
  const [zh, en] = kindName(kind);
  return `${zh} · 记录 #${index} ${en} · record #${index}`;
}

// --- Plan pages (plan_page.cc, draw_bundle_view.cc) ----------------------------------

// plan_page.cc CreditPolicyView: a random plan's credit policy (draw-spec §3.4).
function creditPolicyView(items, plan) {
  const source = {
    OFFICIAL: "官方信用风险分类（无则用模型分类） the official credit class (the model's where none)",
    STRICTER: "官方分类与模型分类中较高者 the riskier of the official and the model's class",
  }[plan.credit_class_source] || "模型分类 the model's class";
  const policy = {
    HIGHEST_RATIO: "按本计划最高抽查比例抽取 drawn at the plan's highest ratio",
    ALWAYS: '一律检查 always inspected',
  }[plan.dishonest_list_policy] || '不单独处理 no special treatment';
  items.heading('H3', '信用分级分类', 'Credit policy')
    .field('分类依据', 'Class used', source, { path: 'commitment.plan.credit_class_source' })
    .field('严重违法失信名单企业', 'Dishonest-listed enterprises', policy,
           { path: 'commitment.plan.dishonest_list_policy' });
  const listed = list(plan.dishonest);
  if (listed.length > 0) {
    items.field('承诺时在名单上的企业', 'Listed at commit', listed.map(str).join(', '),
                { path: 'commitment.plan.dishonest' });
  }
}

function planView(items, plan) {
  const targeted = plan.kind === 'TARGETED';
  items.field('计划名称', 'Title', plan.title, { path: 'commitment.plan.title' })
    .field('计划编号', 'Plan id', plan.plan_id, { path: 'commitment.plan.plan_id' });
  if (targeted) items.field('检查方式', 'Inspection type', '定向检查 Targeted inspection', { path: 'commitment.plan.kind' });
  items.field('检查部门', 'Departments', departmentsValue(plan.departments), { path: 'commitment.plan.departments' })
    .field('地区范围', 'Region prefix', plan.region_prefix, { path: 'commitment.plan.region_prefix' })
    .field('行业', 'Industries', list(plan.industry_codes).join(', '), { path: 'commitment.plan.industry_codes' })
    .field('经营状态', 'Statuses', list(plan.statuses).join(', '), { path: 'commitment.plan.statuses' })
    .field('抽取比例', 'Quotas by risk class', targeted ? '' : list(plan.quotas).map(quotaText).join('; '),
           { path: 'commitment.plan.quotas' })
    .field('检查组人数', 'Team size', num(plan.team_size), { path: 'commitment.plan.team_size' })
    .field('人员工作量上限', 'Workload cap', num(plan.workload_cap), { path: 'commitment.plan.workload_cap' })
    .field('完成期限', 'Due', plan.due_date, { path: 'commitment.plan.due_date' });
  if (targeted) {  // plan_page.cc TargetsTable
    items.heading('H3', '定向检查对象', 'Listed targets')
      .notice('定向检查：检查对象按原因列明，不经抽取；检查人员仍随机抽取。 Targeted inspection: the ' +
              'enterprises are listed with a reason, not drawn; the inspectors are still drawn at random.')
      .row('TH', ['统一社会信用代码 Credit code', '原因类别 Reason']);
    for (const t of list(plan.targets)) {
      items.row('TD', [{ text: str(t.credit_code), href: enterprisePagePath(str(t.credit_code)),
                         path: 'commitment.plan.targets.credit_code' },
                       { text: targetReasonText(str(t.reason)), path: 'commitment.plan.targets.reason' }],
                '定向检查对象 Listed targets');
    }
  }
  if (plan.credit_class_source) creditPolicyView(items, plan);
  items.heading('H3', '检查事项', 'Inspection items')
    .row('TH', ['编号 Id', '部门 Department', '事项 Item', '法律依据 Legal basis', '类别 Kind', '资格要求 Qualification']);
  for (const item of list(plan.items)) {
    items.row('TD', [str(item.item_id), { ...departmentsValue([item.department]), path: 'commitment.plan.items.department' },
                     str(item.title), str(item.legal_basis),
                     str(item.kind), str(item.required_qualification)], '检查事项 Inspection items');
  }
}

function commitmentView(items, index, c) {
  items.heading('H2', '抽查计划', 'The plan');
  planView(items, c.plan || {});
  const link = items.link(index);
  items.heading('H2', '抽取前的承诺', 'Commitment before the draw')
    .field('计划摘要', 'Plan digest', c.plan_digest, { path: 'commitment.plan_digest' })
    .field('企业名录摘要', 'Population digest', c.population_digest, { path: 'commitment.population_digest' })
    .field('执法人员名录摘要', 'Roster digest', c.roster_digest, { path: 'commitment.roster_digest' })
    .field('随机数承诺', 'Nonce commitment', c.nonce_commitment, { path: 'commitment.nonce_commitment' })
    .field('承诺摘要', 'Commitment digest', c.commitment_digest, { path: 'commitment.commitment_digest' })
    .field('外部随机源', 'Entropy sources', namedSourcesText(c.entropy_sources), { path: 'commitment.entropy_sources' })
    .field('最短等待', 'Minimum entropy delay', `${num(c.min_entropy_delay_seconds)} s`,
           { path: 'commitment.min_entropy_delay_seconds' })
    .field('承诺时间', 'Committed', timeValue(c.commit_time), { path: 'commitment.commit_time' })
    .field('日志记录', 'Log record', link.text, { href: link.href })
    .row('TH', ['风险类别 Risk class', '企业数 Enterprises', '类别名录摘要 Class population digest']);
  for (const p of list(c.classes)) {
    items.row('TD', [str(p.risk_class), num(p.size), str(p.digest)], '类别名录摘要 Class population');
  }
}

function announcementView(items, index, a) {
  const link = items.link(index);
  items.heading('H2', `替补抽取公告（第 ${num(a.round)} 轮）`, `Replacement round ${num(a.round)} announced`)
    .field('被替补企业', 'Targets to replace', list(a.replaced_codes).join(', '), { path: 'announcement.replaced_codes' })
    .field('替补原因', 'Reason', a.reason, { path: 'announcement.reason' })
    .field('随机数承诺', 'Nonce commitment', a.nonce_commitment, { path: 'announcement.nonce_commitment' })
    .field('承诺摘要', 'Commitment digest', a.commitment_digest, { path: 'announcement.commitment_digest' })
    .field('外部随机源', 'Entropy sources', namedSourcesText(a.entropy_sources), { path: 'announcement.entropy_sources' })
    .field('最短等待', 'Minimum entropy delay', `${num(a.min_entropy_delay_seconds)} s`,
           { path: 'announcement.min_entropy_delay_seconds' })
    .field('公告时间', 'Announced', timeValue(a.announce_time), { path: 'announcement.announce_time' })
    .field('日志记录', 'Log record', link.text, { href: link.href });
}

// The draw bundle's tables (draw_bundle_view.cc), from the verified bundle.
export function bundleItems(items, bundle) {
  if (!bundle || typeof bundle !== 'object' || Array.isArray(bundle)) {
    items.notice('抽取结果文件无法解析。 The draw bundle could not be read.');
    return;
  }
  items.heading('H3', '各风险类别', 'By risk class')
    .row('TH', ['类别 Class', '参与企业 Population', '抽中 Selected', '入选阈值（最大入选票值） Cutoff (largest selected ticket)']);
  for (const c of list(member(bundle, 'classes'))) {
    items.row('TD', [strMember(c, 'class'), asInt(member(c, 'population')), asInt(member(c, 'selected')),
                     { text: strMember(c, 'cutoff'), path: 'bundle.classes.cutoff',
                       label: `入选阈值 Cutoff of class ${strMember(c, 'class')}` }],
              `入选阈值 Cutoff (class ${strMember(c, 'class')})`);
  }
  const targets = list(member(bundle, 'targets'));
  const teams = list(member(bundle, 'teams'));
  items.heading('H3', '抽中企业与检查组', 'Targets and teams')
    .row('TH', ['顺序 Rank', '统一社会信用代码 Credit code', '地区 Region', '票值 Ticket', '检查人员 Inspectors', '配组状态 Staffing']);
  targets.forEach((t, i) => {
    const code = strMember(t, 'credit_code');
    let inspectors = [];
    let status = '';
    let reason = '';
    if (i < teams.length && strMember(teams[i], 'credit_code') === code) {
      inspectors = list(member(teams[i], 'inspectors')).map((who) => (typeof who === 'string' ? who : ''));
      status = strMember(teams[i], 'status');
      reason = strMember(teams[i], 'reason');
    }
    items.row('TD', [asInt(member(t, 'rank')), { text: code, href: enterprisePagePath(code) },
                     strMember(t, 'region_code'), strMember(t, 'ticket'),
                     { text: inspectors.join(', '), path: 'bundle.teams.inspectors',
                       label: `检查人员 Inspectors of ${code}` }, normalize(status + reason)],
              `检查组 Team of ${code}`);
  });
  const r = member(bundle, 'replacement');
  if (r && typeof r === 'object' && !Array.isArray(r)) {
    items.heading('H3', '替补轮次', 'Replacement round')
      .pair('上一轮结果摘要', 'Previous bundle digest', strMember(r, 'previous_bundle_digest'))
      .pair('各类替补数', 'Replacements per class',
            list(member(r, 'counts')).map((c) => `${strMember(c, 'class')}: ${asInt(member(c, 'count'))}`).join(', '))
      .pair('排除企业', 'Excluded', list(member(r, 'excluded')).map((e) => (typeof e === 'string' ? e : '')).join(' '))
      .pair('此前工作量', 'Prior workload',
            list(member(r, 'prior_workload')).map((w) => `${strMember(w, 'inspector_id')} ${asInt(member(w, 'count'))}`).join(', '));
  }
}

function drawView(items, index, d, bundle, extra) {
  const round = num(d.round);
  const path = bundlePath(str(d.plan_id), round);
  const link = items.link(index);
  items.items.push(round === '0'
    ? { tag: 'H2', text: '随机抽取（第 0 轮） Draw (round 0)' }
    : { tag: 'H2', text: `替补抽取（第 ${round} 轮） Replacement draw (round ${round})` });
  items.field('种子', 'Seed', d.seed, { path: 'draw.seed' })
    .field('随机数（揭示）', 'Nonce (revealed)', d.nonce, { path: 'draw.nonce' })
    .field('承诺摘要', 'Commitment digest', d.commitment_digest, { path: 'draw.commitment_digest' })
    .field('抽中企业数', 'Targets', num(d.targets), { path: 'draw.targets' })
    .field('未配齐检查组', 'Unstaffed', num(d.unstaffed), { path: 'draw.unstaffed' })
    .field('抽取结果文件', 'Draw bundle', normalize(`${path} SHA-256 ${str(d.bundle_digest)}`), { href: path, path: 'draw.bundle_digest' })
    .field('被替补企业', 'Replaced targets', list(d.replaced_codes).join(', '), { path: 'draw.replaced_codes' })
    .field('替补原因', 'Replacement reason', d.replacement_reason, { path: 'draw.replacement_reason' })
    .field('抽取时间', 'Drawn', timeValue(d.draw_time), { path: 'draw.draw_time' })
    .field('日志记录', 'Log record', link.text, { href: link.href });
  if (bundle !== undefined) bundleItems(items, bundle);
  for (const item of extra || []) items.items.push(item);
}

// What plan page shows, from its verified records (in log order: { index, entry }) and
// the verified bundles of its draws (by record index; absent when the site has none).
// `extra` maps a draw record's index to items a plan check adds after its bundle.
export function planItems(root, records, bundles, extra = new Map()) {
  const items = new Items(root);
  let committed = false;
  for (const r of records) {
    if (r.entry.commitment) {
      committed = true;
      commitmentView(items, r.index, r.entry.commitment);
    }
  }
  if (!committed) items.notice('本计划的承诺记录尚未公示。 The plan\'s commitment is not published yet.');
  for (const r of records) {
    if (r.entry.announcement) announcementView(items, r.index, r.entry.announcement);
    if (r.entry.draw) drawView(items, r.index, r.entry.draw, bundles.get(r.index), extra.get(r.index));
  }
  return items.items;
}

export function planTitle(planId, records) {
  let title = '';
  for (const r of records) if (r.entry.commitment) title = str((r.entry.commitment.plan || {}).title);
  return normalize(`抽查计划 ${planId}${title ? ' ' : ''}${title} Inspection plan`);
}

// --- The comparison ---------------------------------------------------------------

function itemAncestor(node, region) {
  for (let n = node.parentElement; n && n !== region; n = n.parentElement) {
    if (ITEM_TAGS.has(n.tagName)) return n;
  }
  return null;
}

// The items the page shows in `region`, in document order.
export function shownItems(region) {
  const shown = [];
  for (const el of region.querySelectorAll('*')) {
    if (!ITEM_TAGS.has(el.tagName) || itemAncestor(el, region)) continue;
    shown.push({ tag: el.tagName, text: normalize(el.textContent),
                 hrefs: Array.from(el.querySelectorAll('a'), (a) => a.getAttribute('href')),
                 marks: Array.from(el.querySelectorAll('time, [data-department]'), (m) => (m.tagName === 'TIME'
                   ? `time ${m.getAttribute('datetime') || ''}` : `department ${m.dataset.department}`)) });
  }
  // Text outside every item is shown but checked by nothing.
  const walker = document.createTreeWalker(region, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (normalize(n.nodeValue) !== '' && !itemAncestor(n, region)) {
      throw new Error(`the page shows text that no verified record holds: «${normalize(n.nodeValue).slice(0, 80)}»`);
    }
  }
  return shown;
}

const quote = (s) => `«${s.length > 120 ? s.slice(0, 117) + '…' : s}»`;

// Throws, naming the field, unless `region` shows exactly `expected`.
export function checkRegion(region, expected) {
  const shown = shownItems(region);
  const n = Math.max(shown.length, expected.length);
  for (let i = 0; i < n; i++) {
    const s = shown[i];
    const e = expected[i];
    const name = e ? (e.label || e.text) : '';
    const field = e && e.path ? ` (${e.path})` : '';
    if (!e) throw new Error(`the page shows ${quote(s.text)}, which no verified record holds`);
    if (!s) throw new Error(`the page leaves out ${name}${field}: ${quote(normalize(e.text))}`);
    if (s.tag !== e.tag || s.text !== normalize(e.text)) {
      const what = e.tag === 'DT' || e.tag.startsWith('H') ? `the label ${quote(normalize(e.text))}` : `${name}${field}`;
      throw new Error(`the page shows ${what} as ${quote(s.text)}, but the log holds ${quote(normalize(e.text))}`);
    }
    const hrefs = e.hrefs || [];
    if (s.hrefs.length !== hrefs.length || s.hrefs.some((h, k) => h !== hrefs[k])) {
      throw new Error(`the link of ${name}${field} points to ${s.hrefs.join(', ') || 'nothing'}, not ${hrefs.join(', ') || 'nothing'}`);
    }
    const marks = e.marks || [];
    if (s.marks.length !== marks.length || s.marks.some((m, k) => m !== marks[k])) {
      throw new Error(`the page marks ${name}${field} as ${quote(s.marks.join(', ') || 'nothing')}, but the log holds ${quote(marks.join(', ') || 'nothing')}`);
    }
  }
}

// Throws unless the page's <h1> is `expected`.
export function checkTitle(expected) {
  const h1 = document.querySelector('main h1');
  const shown = h1 ? normalize(h1.textContent) : '';
  if (shown !== normalize(expected)) {
    throw new Error(`the page's title is ${quote(shown)}, but the log holds ${quote(normalize(expected))}`);
  }
}
