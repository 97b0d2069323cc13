// Issue 7 §6, the sales and payment screens and the oversight screens of the console: a sale
// registered through the UI with its charge list, the cashier's receipt, confirmation and invoice,
// a reversal of one paid card with its refund receipt and red-letter invoice, a report, and the
// organisation tree, users, audit log and trial balance for the roles that hold them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { cardsInStockAtBj01, type Card } from './api';
import { ConsoleUi, launchBrowser, startWorld, type Browser, type World } from './harness';

let world: World;
let browser: Browser;
let page: Page;
let ui: ConsoleUi;
let typeCode = '';
let cards: Card[] = [];
let salesNo = '';
let recoveryNo = '';
let blueNo = '';

beforeAll(async () => {
  world = await startWorld();
  browser = await launchBrowser({ width: 1280, height: 900 });
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  ui = new ConsoleUi(page, browser, world.webUrl);
  ({ typeCode, cards } = await cardsInStockAtBj01(world.apiUrl, 3));
});

afterAll(async () => {
  await browser?.close();
  await world?.stop();
});

// The PDF behind a link of the page, fetched with the browser's session cookie.
async function expectPdf(linkName: string | RegExp) {
  const href = await page.getByRole('link', { name: linkName }).first().getAttribute('href');
  expect(href).toMatch(/^\/api\/v1\//);
  const answer = await page.context().request.get(`${world.webUrl}${href ?? ''}`);
  expect(answer.status()).toBe(200);
  expect(answer.headers()['content-type']).toContain('application/pdf');
  expect((await answer.body()).subarray(0, 5).toString()).toBe('%PDF-');
}

async function textOf(testId: string): Promise<string> {
  const text = (await page.getByTestId(testId).textContent())?.trim() ?? '';
  expect(text).not.toBe('');
  return text;
}

describe('issue 7: sales, payments and reversal in the console', () => {
  it('registers a sale with its mandatory fields shown at the fields, and opens the charge list', async () => {
    await ui.logIn('doc.bj01');
    await ui.openMenu('销售登记');
    await page.getByRole('button', { name: '确认销售登记' }).click();
    await page.locator('.ant-form-item-explain-error').filter({ hasText: '单证类型' }).waitFor();
    await ui.pick('单证类型', typeCode);
    await ui.pick('销售机构', 'BJ01 ·');
    await page.getByLabel('销售人员').fill('seller.bj01');
    await page.getByLabel('起始卡号').fill(cards[0]?.serial ?? '');
    await page.getByLabel('终止卡号').fill(cards.at(-1)?.serial ?? '');
    await page.getByText('共 3 张卡').waitFor();
    await page.getByRole('button', { name: '确认销售登记' }).click();
    salesNo = await textOf('sales-no');
    await expectPdf(/收费清单/);
    await ui.check('console-finance-01-sale');
    await ui.logOut();
  });

  it('lets the cashier issue the charge receipt, confirm the payment and open the invoice', async () => {
    await ui.logIn('cashier.bj01');
    await ui.openMenu('收费收据');
    await page.getByLabel('销售单号').fill(salesNo);
    await page.getByRole('button', { name: '开具收据' }).click();
    const receiptNo = await textOf('receipt-no');
    await expectPdf(/收据 PDF/);
    await ui.check('console-finance-02-receipt');
    // The confirmation page lists the receipts awaiting their funds: the cashier picks this one.
    await ui.openMenu('收费确认');
    await page.getByRole('heading', { level: 1, name: '收费确认' }).waitFor();
    await page.getByRole('button', { name: receiptNo, exact: true }).click();
    await page.getByLabel('实收金额（元）').fill('1.00');
    await page.getByRole('button', { name: '确认到账并开具发票' }).click();
    await page.getByText('金额与收据不一致').waitFor();
    await page.getByLabel('实收金额（元）').fill('297.00');
    await page.getByRole('button', { name: '确认到账并开具发票' }).click();
    blueNo = await textOf('invoice-no');
    await expectPdf(/发票 PDF/);
    // Confirmed, it leaves the list of receipts awaiting their funds.
    await page.getByRole('button', { name: receiptNo, exact: true }).waitFor({ state: 'detached' });
    await ui.check('console-finance-03-invoice');
    await ui.logOut();
  });

  it('reverses one paid card: recovery number, refund receipt, red-letter invoice', async () => {
    await ui.logIn('doc.bj01');
    await ui.openMenu('反向处理');
    await page.getByLabel('销售单号').fill(salesNo);
    await page.getByRole('button', { name: '读取销售单' }).click();
    await page.getByRole('checkbox', { name: cards[0]?.serial ?? '' }).check();
    await page.getByLabel('原因').fill('客户退卡');
    await page.getByRole('button', { name: '确认反向处理' }).click();
    recoveryNo = await textOf('recovery-no');
    await page.getByText(`请凭反向处理号 ${recoveryNo} 开具退费收据`).waitFor();
    // The recovery list shows it awaiting its refund.
    await page.getByRole('row', { name: new RegExp(`${recoveryNo}.*待退费`) }).waitFor();
    await ui.check('console-finance-04-recovery');
    await ui.logOut();

    await ui.logIn('cashier.bj01');
    await ui.openMenu('收费收据');
    await page.getByText('退费收据', { exact: true }).click();
    await page.getByLabel('反向处理号').fill(recoveryNo);
    await page.getByRole('button', { name: '开具收据' }).click();
    await textOf('receipt-no');
    await page.getByRole('link', { name: '收费确认' }).last().click();
    await page.getByRole('button', { name: '确认退费并开具红字发票' }).click();
    const redNo = await textOf('invoice-no');
    await expectPdf(/红字发票 PDF/);
    await ui.openMenu('发票查询');
    await page.getByLabel('发票号').fill(redNo);
    await page.getByRole('form', { name: '发票查询' }).getByRole('button', { name: '查询' }).click();
    await page.getByRole('heading', { level: 2, name: `红字发票 ${redNo}` }).waitFor();
    await ui.check('console-finance-05-red-invoice');
    // The invoice list: only the red-letter one by its type; all again, then the blue one picked.
    const list = page.getByRole('form', { name: '发票列表' });
    await page.getByLabel('发票类型', { exact: true }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '红字发票' }).click();
    await list.getByRole('button', { name: '查询' }).click();
    await page.getByRole('button', { name: blueNo, exact: true }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: redNo, exact: true }).waitFor();
    await list.getByRole('button', { name: '重置' }).click();
    await page.getByRole('button', { name: blueNo, exact: true }).click();
    await page.getByRole('heading', { level: 2, name: `蓝字发票 ${blueNo}` }).waitFor();
    await ui.logOut();
  });

  it('shows the policy and its ledger entries on the page of an activated card', async () => {
    const card = cards[1] ?? { serial: '', password: '' };
    const activation = await fetch(`${world.apiUrl}/api/v1/card-activations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        serial: card.serial,
        password: card.password,
        plan_code: 'A',
        holder: { name: '李四', id_type: 'resident_id', id_number: '110105199003078879', phone: '13900139000' },
        insured_is_holder: true,
      }),
    });
    expect(activation.status, await activation.clone().text()).toBe(201);
    const { policy_no: policyNo } = (await activation.json()) as { policy_no: string };
    await ui.logIn('admin');
    await page.goto(`${world.webUrl}/console/cards/card?serial=${card.serial}`);
    await expect.poll(() => page.getByTestId('policy-no').textContent()).toBe(policyNo);
    await page.getByRole('heading', { level: 2, name: '记账分录' }).waitFor();
    await page.getByRole('cell', { name: `卡单激活出单 ${policyNo}` }).first().waitFor();
    await expect(page.getByText('110105199003078879').count()).resolves.toBe(0);
    await ui.check('console-finance-06-card-policy-ledger');
    await ui.logOut();
  });

  it('shows the stock report as a chart and a table', async () => {
    await ui.logIn('doc.bj01');
    await ui.openMenu('库存统计');
    await page.getByRole('img', { name: /库存统计图表/ }).waitFor();
    await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
    await ui.check('console-finance-07-report-stock');
    await ui.logOut();
  });
});

describe('issue 7: organisations, users, audit log and trial balance', () => {
  it("shows an organisation administrator only their branch's tree and staff", async () => {
    await ui.logIn('bj.admin');
    await ui.openMenu('机构管理');
    await page.getByRole('tree').getByText('北京朝阳支公司 (BJ01)').waitFor();
    await expect(page.getByRole('tree').getByText(/上海/).count()).resolves.toBe(0);
    await ui.check('console-admin-01-orgs');
    await ui.openMenu('用户管理');
    await page.getByRole('cell', { name: 'doc.bj01', exact: true }).waitFor();
    await expect(page.getByRole('cell', { name: 'doc.hq', exact: true }).count()).resolves.toBe(0);
    await ui.check('console-admin-02-users');
    await ui.logOut();
  });

  it('shows the auditor the audit log and the system administrator a balanced trial balance', async () => {
    await ui.logIn('auditor');
    await ui.openMenu('审计日志');
    await page.getByRole('textbox', { name: '操作', exact: true }).fill('card_sale.register');
    await page.getByRole('button', { name: '查询' }).click();
    await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
    // The action and the object by their Chinese names, the codes kept under them.
    const first = page.locator('.ant-table-tbody tr.ant-table-row').first();
    await first.getByText('销售登记', { exact: true }).waitFor();
    await first.getByText('card_sale.register', { exact: true }).waitFor();
    await first.getByText('销售单', { exact: true }).waitFor();
    await first.getByText('成功', { exact: true }).waitFor();
    // The summary's keys by name, the amount in yuan.
    await first.getByText(/金额: ¥\d[\d,]*\.\d\d; .*销售单号: XS\d+/).waitFor();
    // Codes in the values by their names too: the business source is 直销, not "direct".
    await first.getByText(/业务来源: (直销|代理|经纪|银保|网销);/).waitFor();
    await ui.check('console-admin-03-audit');
    // The cashier's records only, found by their login: every row names them.
    await page.getByRole('textbox', { name: '操作', exact: true }).fill('');
    await page.getByRole('textbox', { name: '操作人用户名' }).fill('cashier.bj01');
    await page.getByRole('button', { name: '查询' }).click();
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await rows.filter({ hasText: 'receipt.confirm' }).first().waitFor();
    const actors = await rows.locator('.ax-actor-login').allTextContents();
    expect(actors.length).toBeGreaterThan(0);
    expect(new Set(actors)).toEqual(new Set(['（cashier.bj01）']));
    // A login nobody has finds nothing, not everything.
    await page.getByRole('textbox', { name: '操作人用户名' }).fill('nobody.here');
    await page.getByRole('button', { name: '查询' }).click();
    await page.locator('.ant-table-tbody .ax-empty').waitFor();
    await expect(rows.count()).resolves.toBe(0);
    await ui.logOut();

    await ui.logIn('admin');
    await ui.openMenu('试算平衡表');
    await page.getByRole('status').filter({ hasText: '试算平衡：借方合计等于贷方合计。' }).waitFor();
    await ui.check('console-admin-04-trial-balance');
  });
});
