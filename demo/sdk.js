// A portal's own page on the SDK alone: everything dynamic is set with textContent, never innerHTML.
import { createClient, parseReportCode, formatReportCode, ApiError, ValidationError, isAqjbError } from '/dist/aqjb-sdk.js';

const $ = (id) => document.getElementById(id);
const el = (tag, text) => Object.assign(document.createElement(tag), text === undefined ? {} : { textContent: text });
const client = createClient({ baseUrl: document.querySelector('meta[name="aqjb-api"]').content });

const STATUS = {
  submitted: '受理中', accepted: '已受理', 'not-accepted': '不予受理', transferred: '已转办',
  verifying: '核查中', extended: '已延期', 'supplement-requested': '待补充材料', closed: '已办结',
};

let ackToken;
const idempotencyKey = crypto.randomUUID();

async function gate() {
  const notice = await client.getNotice();
  const body = $('notice-body');
  for (const section of notice.sections) {
    body.append(el('h3', section.heading));
    for (const block of section.blocks) {
      if (block.type === 'paragraph') body.append(el('p', block.text));
      else {
        const list = el(block.ordered ? 'ol' : 'ul');
        list.append(...block.items.map((item) => el('li', item)));
        body.append(list);
      }
    }
  }
  const { receiptId } = await client.startNoticeReceipt();
  const button = $('accept');
  const end = Date.now() + notice.minReadSeconds * 1000;
  $('gate-status').textContent = `请阅读须知，${notice.minReadSeconds} 秒后可继续。`;
  const tick = setInterval(async () => {
    const left = Math.ceil((end - Date.now()) / 1000);
    if (left > 0) return void (button.textContent = `请阅读须知（${left}秒）`);
    clearInterval(tick);
    for (;;) {
      try {
        ackToken = (await client.confirmNoticeReceipt(receiptId)).ackToken;
        break;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'NOTICE_TOO_EARLY') await new Promise((r) => setTimeout(r, error.retryAfterMs));
        else throw error;
      }
    }
    button.textContent = '我已阅读以上条款';
    button.setAttribute('aria-disabled', 'false');
    $('gate-status').textContent = '现在可以继续。';
  }, 250);
  button.addEventListener('click', () => {
    if (!ackToken) return;
    $('notice').hidden = true;
    $('report').hidden = false;
    $('province').focus();
  });
}

async function fillRegions(select, parent) {
  select.replaceChildren(el('option', '请选择'));
  select.options[0].value = '';
  if (parent === null) return void (select.disabled = true);
  const { regions } = await client.listRegions(parent);
  for (const region of regions) {
    const option = Object.assign(el('option', region.name), { value: region.code });
    option.dataset.leaf = String(!region.hasChildren);
    select.append(option);
  }
  select.disabled = regions.length === 0;
}

async function form() {
  const dict = await client.getDictionaries();
  $('industry').append(Object.assign(el('option', '请选择'), { value: '' }), ...dict.industries.map((i) => Object.assign(el('option', i.name), { value: i.code })));
  for (const t of dict.problemTypes) {
    const id = `pt-${t.code}`;
    const label = el('label');
    label.append(Object.assign(el('input'), { type: 'checkbox', id, value: t.code, name: 'problemTypes' }), ` ${t.name}`);
    $('problem-types').append(label);
  }
  await fillRegions($('province'));
  $('province').addEventListener('change', async (e) => {
    await fillRegions($('city'), e.target.value || null);
    await fillRegions($('county'), null);
  });
  $('city').addEventListener('change', async (e) => {
    const leaf = e.target.selectedOptions[0]?.dataset.leaf === 'true';
    await fillRegions($('county'), e.target.value && !leaf ? e.target.value : null);
  });
  $('report').addEventListener('submit', async (event) => {
    event.preventDefault();
    const regionCode = $('county').value || $('city').value || $('province').value;
    const draft = {
      mode: 'anonymous', ackToken, regionCode,
      subject: { name: $('subject-name').value, address: $('subject-address').value },
      industry: $('industry').value,
      problemTypes: [...document.querySelectorAll('input[name=problemTypes]:checked')].map((c) => ({ code: c.value })),
      description: $('description').value,
    };
    const summary = $('error-summary');
    summary.hidden = true;
    $('submit-status').textContent = '正在提交…';
    try {
      const receipt = await client.submitReport(draft, { idempotencyKey });
      $('report').hidden = true;
      $('receipt').hidden = false;
      $('receipt-code').textContent = formatReportCode(receipt.reportCode);
      $('receipt-key').textContent = receipt.queryKey;
      $('receipt-org').textContent = receipt.routedTo.orgName;
      $('receipt-due').textContent = `${receipt.acceptBy} 前决定是否受理`;
      $('lookup-code').value = receipt.reportCode;
      $('receipt-title').focus();
    } catch (error) {
      $('submit-status').textContent = '';
      if (error instanceof ValidationError) {
        const list = el('ul');
        list.append(...error.fields.map((f) => el('li', f.message)));
        summary.replaceChildren(el('h3', '提交前请修改以下问题'), list);
        summary.hidden = false;
        summary.focus();
      } else {
        $('submit-status').textContent = isAqjbError(error) ? `${error.message}（已填写的内容仍在本页）` : '提交失败，请重试。';
      }
    }
  });
}

function lookup() {
  $('lookup').addEventListener('submit', async (event) => {
    event.preventDefault();
    const out = $('lookup-result');
    const parsed = parseReportCode($('lookup-code').value);
    if (!parsed.ok) return void (out.textContent = '举报编码不正确，请核对后重新输入。');
    try {
      const p = await client.getProgress(parsed.code, $('lookup-key').value);
      const list = el('ol');
      for (const e of [...p.events].reverse()) list.append(el('li', `${e.at.slice(0, 10)} ${e.type}（${e.org}）`));
      out.replaceChildren(el('p', `当前状态：${STATUS[p.status]}（${p.handledBy.orgName}）`), list);
    } catch (error) {
      out.textContent = isAqjbError(error) ? error.message : '查询失败，请重试。';
    }
  });
}

gate().catch((e) => ($('gate-status').textContent = isAqjbError(e) ? e.message : '加载失败，请刷新重试。'));
form().catch(() => {});
lookup();
