// Issue 7 §6 and §7, the console's activation on a holder's behalf and the SMS gateway simulator:
// the head office's customer-service agent (cs.hq) activates a sold card for a caller on the
// phone line, through the same steps as the portal, and sees the policy; the holder then finds
// that policy on the 375 px portal's "my card", masked; a wrong password there is said, and a
// card locked by wrong passwords says how long to wait. The system administrator's simulated
// phone sends `JH <card> <password> <name> <ID>` for another sold card and gets the success reply,
// which is in the list of SMS the platform sent. Staff without the permissions see neither menu
// item. Every screen is checked with axe-core and saved as a screenshot; the simulator with a real
// gateway configured is issue7_console_sms_gateway.e2e.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { cardsAwaitingActivation, type Card } from './api';
import { checkScreen, ConsoleUi, launchBrowser, startWorld, type Browser, type World } from './harness';

let world: World;
let desktop: Browser;
let phone: Browser;
let cards: Card[];
let page: Page;
let ui: ConsoleUi;
let policyNo = '';

beforeAll(async () => {
  world = await startWorld();
  cards = await cardsAwaitingActivation(world.apiUrl, 3);
  desktop = await launchBrowser({ width: 1280, height: 900 });
  page = desktop.context.pages()[0] ?? (await desktop.context.newPage());
  ui = new ConsoleUi(page, desktop, world.webUrl);
  phone = await launchBrowser();
});

afterAll(async () => {
  await desktop?.close();
  await phone?.close();
  await world?.stop();
});

// What antd-mobile's global stylesheet would change in the console: the body's text and a link's.
async function lookOf(on: Page) {
  return on.evaluate(() => {
    const body = getComputedStyle(document.body);
    const link = document.createElement('a');
    link.href = '#';
    document.querySelector('main')?.append(link);
    const a = getComputedStyle(link);
    const look = { fontSize: body.fontSize, fontFamily: body.fontFamily, color: body.color, link: a.color, transition: a.transition };
    link.remove();
    return look;
  });
}

function card(i: number): Card {
  const c = cards[i];
  if (!c) throw new Error(`no card ${i}`);
  return c;
}

describe('issue 7: activation on a holder’s behalf and the SMS simulator', () => {
  it('lets the customer-service agent activate a sold card by phone and shows the policy', async () => {
    await ui.logIn('cs.hq');
    const consoleLook = await lookOf(page);
    await expect(ui.menu().getByRole('menuitem', { name: '代客激活' }).isVisible()).resolves.toBe(true);
    // The simulator is the administrators'.
    await expect(ui.menu().getByRole('menuitem', { name: '短信网关模拟器' }).count()).resolves.toBe(0);
    await ui.openMenu('代客激活');
    await page.getByRole('radio', { name: '客服电话' }).check();
    await ui.check('console-assist-01-card');

    await page.getByLabel('卡号', { exact: true }).fill(card(0).serial);
    await page.getByLabel('密码', { exact: true }).fill(card(0).password);
    await page.getByRole('button', { name: '验证并继续' }).click();
    await page.getByRole('heading', { level: 2, name: '选择保障计划' }).waitFor();
    await page.getByText('计划二（100万）').click();
    await page.getByRole('button', { name: '下一步', exact: true }).click();

    await page.getByRole('heading', { level: 2, name: '填写投保信息' }).waitFor();
    await page.getByLabel('姓名', { exact: true }).fill('王小明');
    // The same live checks as the portal: a wrong check character at the field as it is typed.
    await page.getByLabel('证件号码', { exact: true }).fill('110105199003071238');
    await page.getByText('身份证号码校验位错误，请核对').waitFor();
    await page.getByLabel('证件号码', { exact: true }).fill('110105199003071239');
    await page.getByText(/出生日期 1990-03-07 · 男/).waitFor();
    await page.getByLabel('手机号码', { exact: true }).fill('13800138000');
    await ui.check('console-assist-02-details');
    await page.getByRole('button', { name: '下一步：确认信息' }).click();

    await page.getByRole('heading', { level: 2, name: '确认投保信息' }).waitFor();
    await page.getByText(/激活渠道：客服电话/).waitFor();
    await ui.check('console-assist-03-confirm');

    // The server's field errors land at the field they name, on the step that shows it: send a
    // wrong check character past the client once.
    await page.route('**/api/v1/staff/card-activations', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as { holder: { id_number: string } };
      body.holder.id_number = '110105199003071238';
      await route.continue({ postData: JSON.stringify(body) });
    });
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/staff/card-activations'));
    await page.getByRole('button', { name: '确认并生成保单' }).click();
    const refusal = await refused;
    expect(refusal.status()).toBe(400);
    const problem = (await refusal.json()) as { errors: { field: string; code: string; message: string }[] };
    const idError = problem.errors.find((e) => e.field === 'holder.id_number');
    expect(idError?.code).toBe('invalid_checksum');
    await page.unroute('**/api/v1/staff/card-activations');
    await page.getByRole('heading', { level: 2, name: '填写投保信息' }).waitFor();
    await page.locator('.adm-form-item').filter({ has: page.getByLabel('证件号码', { exact: true }) }).getByText(idError?.message ?? '?').waitFor();
    await page.getByRole('button', { name: '下一步：确认信息' }).click();
    await page.getByRole('heading', { level: 2, name: '确认投保信息' }).waitFor();

    const activation = page.waitForResponse((r) => r.url().endsWith('/api/v1/staff/card-activations') && r.request().method() === 'POST');
    await page.getByRole('button', { name: '确认并生成保单' }).click();
    const answer = await activation;
    expect(answer.status()).toBe(201);
    expect(JSON.parse(answer.request().postData() ?? '{}')).toMatchObject({ serial: card(0).serial, channel: 'phone', plan_code: 'B' });
    expect(((await answer.json()) as { channel: string }).channel).toBe('phone');

    await page.getByRole('heading', { level: 2, name: '激活成功' }).waitFor();
    policyNo = (await page.getByTestId('policy-no').textContent())?.trim() ?? '';
    expect(policyNo).toMatch(/\S{6,}/);
    await expect(page.getByTestId('assist-recorded').textContent()).resolves.toContain('客服电话');
    await expect(page.getByTestId('assist-recorded').textContent()).resolves.toContain('总公司客服专员');
    await expect(page.getByText('意外身故及伤残').isVisible()).resolves.toBe(true);
    await ui.check('console-assist-04-policy');

    // The portal's steps leave nothing of antd-mobile's global styles behind: the console's pages
    // look as before the visit (body text, links).
    await ui.menu().getByRole('menuitem', { name: '首页' }).click();
    await page.getByRole('heading', { name: /^您好/ }).waitFor();
    expect(await lookOf(page)).toEqual(consoleLook);
    await ui.logOut();
  });

  it("shows that policy on the portal's look-up, masked", async () => {
    const portal = phone.context.pages()[0] ?? (await phone.context.newPage());
    const lookup = portal.waitForResponse((r) => r.url().endsWith('/api/v1/card-activations/lookup'));
    await portal.goto(`${world.webUrl}/my-card`);
    await portal.getByRole('heading', { name: '我的保险卡' }).waitFor();
    await portal.getByLabel('卡号', { exact: true }).fill(card(0).serial);
    await portal.getByLabel('密码', { exact: true }).fill(card(0).password);
    await portal.getByRole('button', { name: '查询' }).click();
    expect((await lookup).status()).toBe(200);
    await portal.getByRole('status').getByText('卡状态：已激活').waitFor();
    await expect(portal.getByTestId('policy-no').textContent()).resolves.toBe(policyNo);
    await expect(portal.getByText(/零时起至 .* 二十四时止/).isVisible()).resolves.toBe(true);
    await expect(portal.getByText('计划二（100万）').isVisible()).resolves.toBe(true);
    await expect(portal.getByText('意外身故及伤残').isVisible()).resolves.toBe(true);
    // The holder's name and number as the server masks them; never in full.
    await expect(portal.getByText('110105********1239').first().isVisible()).resolves.toBe(true);
    await expect(portal.getByText('王小明').count()).resolves.toBe(0);
    await expect(portal.getByText('110105199003071239').count()).resolves.toBe(0);
    await checkScreen(portal, phone, 'portal-11-my-card-policy');
  });

  it('says a wrong password, and how long a card locked by wrong passwords waits', async () => {
    const portal = phone.context.pages()[0] ?? (await phone.context.newPage());
    await portal.goto(`${world.webUrl}/my-card`);
    await portal.getByLabel('卡号', { exact: true }).fill(card(2).serial);
    let locked = false;
    for (let attempt = 0; attempt < 8 && !locked; attempt++) {
      await portal.getByLabel('密码', { exact: true }).fill(`0000000${attempt}`);
      const answer = portal.waitForResponse((r) => r.url().endsWith('/api/v1/card-activations/lookup'));
      await portal.getByRole('button', { name: '查询' }).click();
      const status = (await answer).status();
      if (status === 429) {
        locked = true;
      } else {
        expect(status).toBe(403);
        await portal.getByRole('alert').getByText(/卡号或密码/).first().waitFor();
        if (attempt === 0) await checkScreen(portal, phone, 'portal-12-my-card-wrong-password');
      }
    }
    expect(locked).toBe(true);
    await portal.getByRole('status').getByText('密码错误次数过多，该卡已暂时锁定').waitFor();
    await portal.getByText(/请 \d+ 分钟后再试/).waitFor();
    await checkScreen(portal, phone, 'portal-13-my-card-locked');
  });

  it("sends an SMS activation from the simulator's phone and lists the platform's reply", async () => {
    await ui.logIn('admin');
    await ui.openMenu('短信网关模拟器');
    await expect(page.getByTestId('sms-help').textContent()).resolves.toContain('JH 卡号 密码 姓名 身份证号');
    await page.getByLabel('发送方手机号码').fill('13900139000');
    await page.getByLabel('短信内容').fill(`JH ${card(1).serial} ${card(1).password} 李四 11010519850612123X`);
    const inbound = page.waitForResponse((r) => r.url().endsWith('/api/v1/sms/simulator/inbound'));
    await page.getByRole('button', { name: '发送' }).click();
    const answer = await inbound;
    expect(answer.status()).toBe(200);
    const body = (await answer.json()) as { result: string; reply: string };
    expect(body.result).toBe('activated');
    await page.getByRole('status').getByText('已激活', { exact: true }).waitFor();
    await expect(page.getByTestId('sms-reply').textContent()).resolves.toBe(body.reply);

    // The reply is in the list of SMS the platform sent, to the sender's masked number.
    const list = page.waitForResponse((r) => r.url().includes('/api/v1/sms/simulator/messages'));
    await page.getByRole('button', { name: '刷新' }).click();
    expect((await list).status()).toBe(200);
    const row = page.getByRole('row').filter({ hasText: body.reply.slice(0, 12) });
    await row.first().waitFor();
    await expect(row.first().textContent()).resolves.toContain('139****9000');
    await expect(page.locator('.ant-table').getByText('13900139000').count()).resolves.toBe(0);
    await ui.check('console-sms-simulator');
    // At desktop width the whole list is in view, its text column too: nothing hidden to the right
    // of the list's box.
    const region = page.getByRole('region', { name: '平台发出的短信' });
    const fits = await region.evaluate((box) => box.scrollWidth <= box.clientWidth + 1);
    expect(fits).toBe(true);
    const listBox = await region.boundingBox();
    const textBox = await row.first().locator('.ax-sms-text').boundingBox();
    expect(listBox && textBox && textBox.x + textBox.width <= listBox.x + listBox.width + 1).toBe(true);

    // Both new screens are usable on a 375 px phone: nothing wider than the screen but the tables,
    // which scroll in their own box.
    await page.setViewportSize({ width: 375, height: 812 });
    const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
    await page.getByRole('button', { name: '发送' }).waitFor();
    await expect.poll(pageWidth).toBeLessThanOrEqual(375);
    await ui.check('console-sms-simulator-375');
    // The header keeps to one row: the logout button beside the menu button, not wrapped below.
    const menuButton = await page.locator('.console-header').getByRole('button', { name: '菜单' }).boundingBox();
    const logout = await page.locator('.console-header').getByRole('button', { name: '退出登录' }).boundingBox();
    // (Their middles: the logout button is the smaller one.)
    const middle = (box: { y: number; height: number } | null) => (box ? Math.round(box.y + box.height / 2) : -1);
    expect(Math.abs(middle(logout) - middle(menuButton))).toBeLessThanOrEqual(2);
    expect((logout?.x ?? 999) + (logout?.width ?? 0)).toBeLessThanOrEqual(375);
    await page.goto(`${world.webUrl}/console/cards/assist`);
    await page.getByRole('button', { name: '验证并继续' }).waitFor();
    await expect.poll(pageWidth).toBeLessThanOrEqual(375);
    await ui.check('console-assist-375');
    await page.setViewportSize({ width: 1280, height: 900 });

    // The card is activated for the sender as holder.
    const portal = phone.context.pages()[0] ?? (await phone.context.newPage());
    await portal.goto(`${world.webUrl}/my-card`);
    await portal.getByLabel('卡号', { exact: true }).fill(card(1).serial);
    await portal.getByLabel('密码', { exact: true }).fill(card(1).password);
    await portal.getByRole('button', { name: '查询' }).click();
    await portal.getByRole('status').getByText('卡状态：已激活').waitFor();
    await ui.logOut();
  });

  it('shows neither menu item to staff without the permissions', async () => {
    await ui.logIn('doc.bj01');
    await expect(ui.menu().getByRole('menuitem', { name: '状态明细查询' }).isVisible()).resolves.toBe(true);
    await expect(ui.menu().getByRole('menuitem', { name: '代客激活' }).count()).resolves.toBe(0);
    await expect(ui.menu().getByRole('menuitem', { name: '短信网关模拟器' }).count()).resolves.toBe(0);
    await page.goto(`${world.webUrl}/console/cards/assist`);
    await page.getByText('无权访问').waitFor();
    await page.goto(`${world.webUrl}/console/sms/simulator`);
    await page.getByText('无权访问').waitFor();
  });
});
