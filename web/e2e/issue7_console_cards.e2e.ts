// Issue 7 §6, the staff console's card screens on a desktop: the head office's document
// administrator creates a batch, exports its passwords once behind the confirmation, finds the
// cards in the status inquiry and issues them to the Shanghai branch; the Beijing branch's
// administrator cannot see them (another branch's cards), nor the head office's batch screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { randomPrefix, StaffApi } from './api';
import { ConsoleUi, launchBrowser, startWorld, type Browser, type World } from './harness';

let world: World;
let browser: Browser;
let page: Page;
let ui: ConsoleUi;
let typeCode = '';
let serials: string[] = [];

beforeAll(async () => {
  world = await startWorld();
  browser = await launchBrowser({ width: 1280, height: 900 });
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  ui = new ConsoleUi(page, browser, world.webUrl);
  // The card type comes through the API: its screen is not part of these journeys.
  const prefix = randomPrefix();
  typeCode = `C${prefix}`;
  const hq = await new StaffApi(world.apiUrl, 'doc.hq').signIn();
  await hq.call(
    'POST',
    '/api/v1/card-types',
    {
      code: typeCode,
      name: `控制台测试卡 ${prefix}`,
      serial_prefix: prefix,
      product_code: 'ACCIDENT_ANNUAL',
      plan_codes: ['A'],
      default_plan_code: 'A',
      term: { unit: 'year', value: 1 },
      face_value_fen: 9900,
      validity_days: 365,
      start_rule: 'next_day',
      start_within_days: 0,
    },
    201,
  );
});

afterAll(async () => {
  await browser?.close();
  await world?.stop();
});

const rows = () => page.locator('.ant-table-tbody tr.ant-table-row');

describe('issue 7: the console card screens', () => {
  it('lets the head office create a batch and export its passwords once, behind a confirmation', async () => {
    await ui.logIn('doc.hq');
    await ui.openMenu('批次管理');
    await ui.check('console-cards-01-batches');
    await ui.pick('单证类型', typeCode);
    await page.getByLabel('数量（张）').fill('5');
    await page.getByRole('button', { name: '生成批次' }).click();
    const created = page.getByRole('status').filter({ hasText: /批次 .+ 已生成：5 张卡/ });
    await created.waitFor();
    const text = (await created.textContent()) ?? '';
    const [, first = '', last = ''] = /卡号 (\S+) 至 (\S+)。/.exec(text) ?? [];
    expect(first).toMatch(/^[A-Z]{3}\d{11}$/);

    const row = page.locator('.ant-table-tbody tr').filter({ hasText: first });
    await row.getByRole('button', { name: /^导出密码/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('密码只能导出这一次').waitFor();
    const exportButton = dialog.getByRole('button', { name: '导出密码（仅此一次）' });
    await expect(exportButton.isDisabled()).resolves.toBe(true);
    await dialog.getByLabel('我已知晓：密码只能导出一次').check();
    await ui.check('console-cards-02-export-confirm');
    const download = page.waitForEvent('download');
    await exportButton.click();
    const file = await download;
    const csv = await (await file.createReadStream()).toArray();
    const lines = Buffer.concat(csv).toString('utf8').trim().split(/\r?\n/);
    expect(lines).toHaveLength(6);
    serials = lines.slice(1).map((line) => line.split(',')[0] ?? '');
    expect(serials[0]).toBe(first);
    expect(serials.at(-1)).toBe(last);
    await dialog.getByText('该批次的密码不能再次导出').waitFor();
    await dialog.getByRole('button', { name: '取消' }).click();
    await row.getByText(/^已导出/).waitFor();
  });

  it('finds the new cards in the status inquiry, in stock at the head office, and exports them', async () => {
    await ui.openMenu('状态明细查询');
    await ui.pick('单证类型', typeCode);
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => rows().count()).toBe(5);
    await expect(rows().first().textContent()).resolves.toContain(serials[0]);
    await expect(rows().filter({ hasText: '库存' }).count()).resolves.toBe(5);
    await expect(rows().filter({ hasText: '总公司' }).count()).resolves.toBe(5);
    await ui.check('console-cards-03-inquiry');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出 CSV' }).click();
    const file = await download;
    const text = Buffer.concat(await (await file.createReadStream()).toArray()).toString('utf8');
    expect(text.trim().split(/\r?\n/)).toHaveLength(6);
    await page.getByRole('status').filter({ hasText: '已导出 5 张卡' }).waitFor();
  });

  it('refuses a malformed serial at its field, then issues the cards to the Shanghai branch', async () => {
    await ui.openMenu('下发登记');
    await ui.pick('单证类型', typeCode);
    await page.getByLabel('起始卡号').fill(serials[0] ?? '');
    await page.getByLabel('终止卡号').fill(`${(serials.at(-1) ?? '').slice(0, -1)}X`);
    await page.locator('.ant-form-item').filter({ has: page.getByLabel('终止卡号') }).getByText(/卡号/).first().waitFor();
    await page.getByLabel('终止卡号').fill(serials.at(-1) ?? '');
    await page.getByText('共 5 张卡').waitFor();
    // A person the server does not know: its refusal is shown under the recipient field.
    await page.getByText('个人', { exact: true }).click();
    await page.getByLabel('接收方代码').fill('nobody.here');
    await page.getByRole('button', { name: '确认下发' }).click();
    await page
      .locator('.ant-form-item')
      .filter({ has: page.getByLabel('接收方代码') })
      .getByText('本机构及下级机构中没有此人员')
      .waitFor();
    await page.getByText('机构', { exact: true }).click();
    await ui.pick('接收方代码', 'SH ·');
    await page.getByRole('button', { name: '确认下发' }).click();
    await page.getByRole('status').filter({ hasText: /下发登记完成：.+，5 张卡/ }).waitFor();
    await ui.check('console-cards-04-issue');

    await ui.openMenu('状态明细查询');
    await page.getByLabel('持有方').fill('SH');
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => rows().filter({ hasText: '上海分公司' }).count()).toBe(5);
  });

  it("shows a card's history, reports it lost and unfreezes it, and speaks English", async () => {
    await page.getByRole('link', { name: serials[0] }).click();
    await page.getByRole('heading', { level: 2, name: serials[0] }).waitFor();
    await page.getByRole('cell', { name: '下发', exact: true }).waitFor();
    await page.getByRole('cell', { name: '生成', exact: true }).waitFor();
    await ui.check('console-cards-05-card');

    // Report lost, then unfreeze: back to the status before.
    await page.getByRole('button', { name: '挂失' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('挂失原因').fill('客户报失');
    await dialog.getByRole('button', { name: '挂失' }).click();
    await dialog.getByText(`卡 ${serials[0]} 已挂失。`).waitFor();
    await dialog.getByRole('button', { name: '取消' }).click();
    await page.locator('.ant-descriptions').getByText('已挂失').waitFor();
    await page.getByRole('button', { name: '解挂' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '解挂' }).click();
    await page.getByRole('dialog').getByText(`卡 ${serials[0]} 已解挂，恢复为“库存”。`).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();
    await page.getByRole('cell', { name: '挂失', exact: true }).waitFor();

    // The same screen in English.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Card details' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Card history' }).waitFor();
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 1, name: '保险卡详情' }).waitFor();
    await ui.logOut();
  });

  it("keeps another branch's cards and the head office's screens from a Beijing branch user", async () => {
    expect(serials).toHaveLength(5);
    await ui.logIn('doc.bj');
    const menu = ui.menu();
    await expect(menu.getByRole('menuitem', { name: '批次管理' }).count()).resolves.toBe(0);
    await expect(menu.getByRole('menuitem', { name: '状态明细查询' }).count()).resolves.toBe(1);
    await ui.openMenu('状态明细查询');
    await page.getByLabel('起始卡号').fill(serials[0] ?? '');
    await page.getByLabel('终止卡号').fill(serials.at(-1) ?? '');
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForLoadState('networkidle');
    await expect(rows().count()).resolves.toBe(0);
    await page.getByText('暂无数据').waitFor();

    await page.goto(`${world.webUrl}/console/cards/card?serial=${serials[0]}`);
    await page.getByRole('alert').filter({ hasText: `没有找到卡 ${serials[0]}` }).waitFor();
    await page.goto(`${world.webUrl}/console/cards/batches`);
    await page.getByText('无权访问').waitFor();
    await ui.check('console-cards-06-branch-forbidden');
  });
});
