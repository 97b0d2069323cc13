// Issue 7 §6, the sales and payment screens and the oversight screens of the console: a sale
// registered through the UI with its charge list, the cashier's receipt, confirmation and invoice,
// a reversal of one paid card with its refund receipt and red-letter invoice, a report, and the
// organisation tree, users, audit log and trial balance for the roles that hold them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { cardsInStockAtBj01, type Card } from './api';
import { DEMO_PASSWORD, launchBrowser, screenshot, seriousA11yViolations, startWorld, type Browser, type World } from './harness';

let world: World;
let browser: Browser;
let page: Page;
let typeCode = '';
let cards: Card[] = [];
let salesNo = '';
let recoveryNo = '';

beforeAll(async () => {
  world = await startWorld();
  browser = await launchBrowser({ width: 1280, height: 900 });
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  ({ typeCode, cards } = await cardsInStockAtBj01(world.apiUrl, 3));
});

afterAll(async () => {
  await browser?.close();
  await world?.stop();
});

async function checkScreen(name: string) {
  await page.waitForLoadState('networkidle');
  const violations = await seriousA11yViolations(page, name);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
  expect(browser.cspViolations).toEqual([]);
  expect(browser.pageErrors).toEqual([]);
  await screenshot(page, name);
}

async function logIn(login: string) {
  await page.goto(`${world.webUrl}/console/login`);
  await page.getByLabel('用户名').fill(login);
  await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { name: /^您好/ }).waitFor();
}

async function logOut() {
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL(/\/console\/login$/);
}

async function openMenu(name: string) {
  await page.getByRole('navigation', { name: '菜单' }).getByRole('menuitem', { name }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

async function pick(label: string, text: string) {
  await page.getByLabel(label, { exact: true }).click();
  await page.getByLabel(label, { exact: true }).fill(text);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first().click();
}

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
    await logIn('doc.bj01');
    await openMenu('销售登记');
    await page.getByRole('button', { name: '确认销售登记' }).click();
    await page.locator('.ant-form-item-explain-error').filter({ hasText: '单证类型' }).waitFor();
    await pick('单证类型', typeCode);
    await pick('销售机构', 'BJ01 ·');
    await page.getByLabel('销售人员').fill('seller.bj01');
    await page.getByLabel('起始卡号').fill(cards[0]?.serial ?? '');
    await page.getByLabel('终止卡号').fill(cards.at(-1)?.serial ?? '');
    await page.getByText('共 3 张卡').waitFor();
    await page.getByRole('button', { name: '确认销售登记' }).click();
    salesNo = await textOf('sales-no');
    await expectPdf(/收费清单/);
    await checkScreen('console-finance-01-sale');
    await logOut();
  });

  it('lets the cashier issue the charge receipt, confirm the payment and open the invoice', async () => {
    await logIn('cashier.bj01');
    await openMenu('收费收据');
    await page.getByLabel('销售单号').fill(salesNo);
    await page.getByRole('button', { name: '开具收据' }).click();
    await textOf('receipt-no');
    await expectPdf(/收据 PDF/);
    await checkScreen('console-finance-02-receipt');
    await page.getByRole('link', { name: '收费确认' }).last().click();
    await page.getByRole('heading', { level: 1, name: '收费确认' }).waitFor();
    await page.getByLabel('实收金额（元）').fill('1.00');
    await page.getByRole('button', { name: '确认到账并开具发票' }).click();
    await page.getByText('金额与收据不一致').waitFor();
    await page.getByLabel('实收金额（元）').fill('297.00');
    await page.getByRole('button', { name: '确认到账并开具发票' }).click();
    await textOf('invoice-no');
    await expectPdf(/发票 PDF/);
    await checkScreen('console-finance-03-invoice');
    await logOut();
  });

  it('reverses one paid card: recovery number, refund receipt, red-letter invoice', async () => {
    await logIn('doc.bj01');
    await openMenu('反向处理');
    await page.getByLabel('销售单号').fill(salesNo);
    await page.getByRole('button', { name: '读取销售单' }).click();
    await page.getByRole('checkbox', { name: cards[0]?.serial ?? '' }).check();
    await page.getByLabel('原因').fill('客户退卡');
    await page.getByRole('button', { name: '确认反向处理' }).click();
    recoveryNo = await textOf('recovery-no');
    await page.getByText(`请凭反向处理号 ${recoveryNo} 开具退费收据`).waitFor();
    await checkScreen('console-finance-04-recovery');
    await logOut();

    await logIn('cashier.bj01');
    await openMenu('收费收据');
    await page.getByText('退费收据', { exact: true }).click();
    await page.getByLabel('反向处理号').fill(recoveryNo);
    await page.getByRole('button', { name: '开具收据' }).click();
    await textOf('receipt-no');
    await page.getByRole('link', { name: '收费确认' }).last().click();
    await page.getByRole('button', { name: '确认退费并开具红字发票' }).click();
    const redNo = await textOf('invoice-no');
    await expectPdf(/红字发票 PDF/);
    await openMenu('发票查询');
    await page.getByLabel('发票号').fill(redNo);
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('heading', { level: 2, name: `红字发票 ${redNo}` }).waitFor();
    await checkScreen('console-finance-05-red-invoice');
    await logOut();
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
    await logIn('admin');
    await page.goto(`${world.webUrl}/console/cards/card?serial=${card.serial}`);
    await expect.poll(() => page.getByTestId('policy-no').textContent()).toBe(policyNo);
    await page.getByRole('heading', { level: 2, name: '记账分录' }).waitFor();
    await page.getByRole('cell', { name: `卡单激活出单 ${policyNo}` }).first().waitFor();
    await expect(page.getByText('110105199003078879').count()).resolves.toBe(0);
    await checkScreen('console-finance-06-card-policy-ledger');
    await logOut();
  });

  it('shows the stock report as a chart and a table', async () => {
    await logIn('doc.bj01');
    await openMenu('库存统计');
    await page.getByRole('img', { name: /库存统计图表/ }).waitFor();
    await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
    await checkScreen('console-finance-07-report-stock');
    await logOut();
  });
});

describe('issue 7: organisations, users, audit log and trial balance', () => {
  it("shows an organisation administrator only their branch's tree and staff", async () => {
    await logIn('bj.admin');
    await openMenu('机构管理');
    await page.getByRole('tree').getByText('北京朝阳支公司 (BJ01)').waitFor();
    await expect(page.getByRole('tree').getByText(/上海/).count()).resolves.toBe(0);
    await checkScreen('console-admin-01-orgs');
    await openMenu('用户管理');
    await page.getByRole('cell', { name: 'doc.bj01', exact: true }).waitFor();
    await expect(page.getByRole('cell', { name: 'doc.hq', exact: true }).count()).resolves.toBe(0);
    await checkScreen('console-admin-02-users');
    await logOut();
  });

  it('shows the auditor the audit log and the system administrator a balanced trial balance', async () => {
    await logIn('auditor');
    await openMenu('审计日志');
    await page.getByRole('textbox', { name: '操作', exact: true }).fill('card_sale.register');
    await page.getByRole('button', { name: '查询' }).click();
    await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
    await checkScreen('console-admin-03-audit');
    await logOut();

    await logIn('admin');
    await openMenu('试算平衡表');
    await page.getByRole('status').filter({ hasText: '试算平衡：借方合计等于贷方合计。' }).waitFor();
    await checkScreen('console-admin-04-trial-balance');
  });
});
