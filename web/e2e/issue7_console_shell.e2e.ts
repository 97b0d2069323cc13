// Issue 7, the staff console's shell on a desktop: login with a cookie session, the caller and
// their organisation on the home page, the menu, the language switch, change password with the
// server's field errors at their field, logout, and a customer account kept out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { ConsoleUi, launchBrowser, startWorld, type Browser, type World } from './harness';

let world: World;
let browser: Browser;
let page: Page;
let ui: ConsoleUi;

beforeAll(async () => {
  world = await startWorld();
  browser = await launchBrowser({ width: 1280, height: 800 });
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  ui = new ConsoleUi(page, browser, world.webUrl);
});

afterAll(async () => {
  await browser?.close();
  await world?.stop();
});

describe('issue 7: the staff console shell', () => {
  it('sends a visitor without a session to the login page and refuses a wrong password', async () => {
    await page.goto(`${world.webUrl}/console/`);
    await page.waitForURL(/\/console\/login$/);
    await page.getByRole('heading', { name: '安心保险 · 业务管理系统' }).waitFor();
    await ui.check('console-01-login');

    await ui.submitLogin('doc.bj01', 'wrong-password');
    await page.getByRole('alert').getByText('登录名或密码错误').waitFor();
  });

  it('logs a document administrator in and shows who and where they are', async () => {
    await ui.submitLogin('doc.bj01');
    await page.getByRole('heading', { name: '您好，朝阳支公司单证管理员' }).waitFor();
    await expect(page.getByText('北京朝阳支公司 (BJ01)').isVisible()).resolves.toBe(true);
    await expect(page.getByText('单证管理员', { exact: true }).first().isVisible()).resolves.toBe(true);
    await expect(page.getByText('card.stock.move').isVisible()).resolves.toBe(true);
    const menu = ui.menu();
    await expect(menu.getByRole('menuitem').allTextContents()).resolves.toEqual([
      '首页',
      '下发登记',
      '回收登记',
      '状态明细查询',
      '保险卡详情',
      '挂失与解挂',
      '销售登记',
      '销售单查询',
      '反向处理',
      '发票查询',
      '库存统计',
      '销售统计',
      '激活统计',
      '库龄分析',
      '修改密码',
    ]);
    const cookies = await browser.context.cookies();
    expect(cookies.find((c) => c.name === 'anxin_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookies.find((c) => c.name === 'anxin_csrf')).toMatchObject({ httpOnly: false, sameSite: 'Strict' });
    await ui.check('console-02-home');
  });

  it('keeps the session across a reload and switches language', async () => {
    await page.reload();
    await page.getByRole('heading', { name: '您好，朝阳支公司单证管理员' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Hello, 朝阳支公司单证管理员' }).waitFor();
    await expect(page.getByText('Document administrator', { exact: true }).first().isVisible()).resolves.toBe(true);
    await ui.check('console-03-home-en');
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '您好，朝阳支公司单证管理员' }).waitFor();
  });

  it("shows the server's field errors at the password fields", async () => {
    await page.getByRole('menuitem', { name: '修改密码' }).click();
    await page.waitForURL(/\/console\/password$/);
    await page.getByLabel('当前密码').fill('not-my-password');
    await page.getByLabel('新密码', { exact: true }).fill('Another-good-2026');
    await page.getByLabel('确认新密码').fill('Another-good-2026');
    await page.getByRole('button', { name: '修改密码' }).click();
    // The server names current_password; the form shows its message under that field.
    const field = page.locator('.ant-form-item').filter({ has: page.getByLabel('当前密码') });
    await field.getByText('当前密码不正确').waitFor();
    await ui.check('console-04-password');
  });

  it('logs out: the session ends on the server and the console asks for a login again', async () => {
    const token = (await browser.context.cookies()).find((c) => c.name === 'anxin_session')?.value ?? '';
    const before = await fetch(`${world.apiUrl}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(before.status).toBe(200);
    const logout = page.waitForResponse((r) => r.url().endsWith('/api/v1/web/session') && r.request().method() === 'DELETE');
    await page.getByRole('button', { name: '退出登录' }).click();
    expect((await logout).status()).toBe(204);
    await page.waitForURL(/\/console\/login$/);
    const after = await fetch(`${world.apiUrl}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
    expect((await browser.context.cookies()).find((c) => c.name === 'anxin_session')).toBeUndefined();
    await page.goto(`${world.webUrl}/console/password`);
    await page.waitForURL(/\/console\/login$/);
  });

  it('keeps a customer account out of the console', async () => {
    await ui.submitLogin('customer');
    await page.getByText('请使用员工账号').waitFor();
  });
});
