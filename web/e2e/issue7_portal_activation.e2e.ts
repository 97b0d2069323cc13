// Issue 7, the holder's side of the card story on a 375 px phone: cards made ready through the API
// by the staff (type, batch, password export, issue to BJ and BJ01, sale, receipt, confirmation),
// then activated through the portal only, the policy shown; field errors at their field, from the
// client's checks and from the server's; the language switch; the card look-up; the SMS page; the
// customer login. Every screen is checked with axe-core and saved as a screenshot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { cardsAwaitingActivation, StaffApi, type Card } from './api';
import { checkScreen, launchBrowser, screenshot, startWorld, type Browser, type World } from './harness';

let world: World;
let browser: Browser;
let cards: Card[];
let page: Page;

beforeAll(async () => {
  world = await startWorld();
  cards = await cardsAwaitingActivation(world.apiUrl, 4);
  browser = await launchBrowser();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
});

afterAll(async () => {
  await browser?.close();
  await world?.stop();
});

function card(i: number): Card {
  const c = cards[i];
  if (!c) throw new Error(`no card ${i}`);
  return c;
}

// The form item (label, control, its messages) of the field labelled `label`.
function formItem(label: string) {
  return page.locator('.adm-form-item').filter({ has: page.getByLabel(label, { exact: true }) });
}

async function cardLogin(c: Card) {
  await page.getByLabel('卡号', { exact: true }).fill(c.serial);
  await page.getByLabel('密码', { exact: true }).fill(c.password);
  await page.getByRole('button', { name: '验证并继续' }).click();
  await page.getByRole('heading', { name: '选择保障计划' }).waitFor();
}

describe('issue 7: the holder activates a card on the portal', () => {
  it('activates a card through the four steps and shows the issued policy', async () => {
    await page.goto(`${world.webUrl}/`);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.getByRole('heading', { name: '保险卡自助服务' }).waitFor();
    await checkScreen(page, browser, 'portal-01-home');

    await page.getByRole('link', { name: '激活保险卡' }).click();
    await page.getByRole('heading', { name: '保险卡激活' }).waitFor();
    await checkScreen(page, browser, 'portal-02-card-login');

    await cardLogin(card(0));
    await expect(page.getByText('个人综合意外险').first().isVisible()).resolves.toBe(true);
    await expect(page.getByText('¥99.00').first().isVisible()).resolves.toBe(true);
    await checkScreen(page, browser, 'portal-03-plan');
    await page.getByText('计划二（100万）').click();
    await page.getByRole('button', { name: '下一步', exact: true }).click();

    await page.getByRole('heading', { name: '填写投保信息' }).waitFor();
    await page.getByLabel('姓名', { exact: true }).fill('王小明');
    await page.getByLabel('证件号码', { exact: true }).fill('110105199003071239');
    await page.getByLabel('手机号码', { exact: true }).fill('13800138000');
    // What the ID number says, shown as it is typed.
    await formItem('证件号码').getByText(/出生日期 1990-03-07 · 男/).waitFor();
    await checkScreen(page, browser, 'portal-04-details');
    await page.getByRole('button', { name: '下一步：确认信息' }).click();

    await page.getByRole('heading', { name: '确认投保信息' }).waitFor();
    await expect(page.getByText('110105********1239').isVisible()).resolves.toBe(true);
    await expect(page.getByText('138****8000').isVisible()).resolves.toBe(true);
    await expect(page.getByText('计划二（100万）').isVisible()).resolves.toBe(true);
    await checkScreen(page, browser, 'portal-05-confirm');

    const activation = page.waitForResponse((r) => r.url().endsWith('/api/v1/card-activations') && r.request().method() === 'POST');
    await page.getByRole('button', { name: '确认并生成保单' }).click();
    const answer = await activation;
    expect(answer.status()).toBe(201);
    expect(answer.request().headers()['idempotency-key']).toBeTruthy();

    await page.getByRole('heading', { name: '激活成功' }).waitFor();
    const policyNo = (await page.getByTestId('policy-no').textContent())?.trim() ?? '';
    expect(policyNo).toMatch(/\S{6,}/);
    await expect(page.getByText(/零时起至 .* 二十四时止/).isVisible()).resolves.toBe(true);
    await expect(page.getByText('意外身故及伤残').isVisible()).resolves.toBe(true);
    await expect(page.getByText('100万元').first().isVisible()).resolves.toBe(true);
    await checkScreen(page, browser, 'portal-06-policy');

    // The server holds the same policy for the card, with the plan chosen in the portal.
    const underwriter = await new StaffApi(world.apiUrl, 'underwriter').signIn();
    const policy = await underwriter.call<{ card_serial: string; plan_code: string }>(
      'GET',
      `/api/v1/policies/by-number/${encodeURIComponent(policyNo)}`,
      undefined,
      200,
    );
    expect(policy).toMatchObject({ card_serial: card(0).serial, plan_code: 'B' });
  });

  it('shows a wrong ID check character at the ID field, from its own check and from the server', async () => {
    await page.goto(`${world.webUrl}/activate`);
    await cardLogin(card(1));
    await page.getByRole('button', { name: '下一步', exact: true }).click();
    await page.getByRole('heading', { name: '填写投保信息' }).waitFor();

    // As typed: the 18th character does not match the other 17.
    await page.getByLabel('姓名', { exact: true }).fill('李四');
    await page.getByLabel('证件号码', { exact: true }).fill('110105199003071238');
    await formItem('证件号码').getByText('身份证号码校验位错误，请核对').waitFor();
    await page.getByLabel('手机号码', { exact: true }).fill('1380013800a');
    await formItem('手机号码').getByText('手机号码应为11位，以13至19开头').waitFor();
    await checkScreen(page, browser, 'portal-07-details-field-errors');
    await page.getByRole('button', { name: '下一步：确认信息' }).click();
    // Nothing is submitted with errors on the page.
    await expect(page.getByRole('heading', { name: '填写投保信息' }).isVisible()).resolves.toBe(true);

    // The server's own answer lands at the field it names: send a wrong number past the client.
    await page.getByLabel('证件号码', { exact: true }).fill('110105199003071239');
    await page.getByLabel('手机号码', { exact: true }).fill('13900001111');
    await page.getByRole('button', { name: '下一步：确认信息' }).click();
    await page.getByRole('heading', { name: '确认投保信息' }).waitFor();
    await page.route('**/api/v1/card-activations', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as { holder: { id_number: string } };
      body.holder.id_number = '110105199003071238';
      await route.continue({ postData: JSON.stringify(body) });
    });
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/card-activations'));
    await page.getByRole('button', { name: '确认并生成保单' }).click();
    const answer = await refused;
    expect(answer.status()).toBe(400);
    const problem = (await answer.json()) as { errors: { field: string; code: string; message: string }[] };
    const idError = problem.errors.find((e) => e.field === 'holder.id_number');
    expect(idError?.code).toBe('invalid_checksum');
    await page.unroute('**/api/v1/card-activations');

    await page.getByRole('heading', { name: '填写投保信息' }).waitFor();
    await formItem('证件号码').getByText(idError?.message ?? '?').waitFor();
    await screenshot(page, 'portal-08-details-server-error');
  });

  it('switches to English and back, and remembers the choice', async () => {
    await page.goto(`${world.webUrl}/`);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Insurance card self-service' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');

    await page.reload();
    await page.getByRole('heading', { name: 'Insurance card self-service' }).waitFor();
    await page.getByRole('link', { name: 'Activate a card' }).click();
    await page.getByRole('heading', { name: 'Activate your insurance card' }).waitFor();
    await checkScreen(page, browser, 'portal-09-card-login-en');

    // The server answers in the chosen language too.
    await page.getByLabel('Card number', { exact: true }).fill(card(2).serial);
    await page.getByLabel('Password', { exact: true }).fill('00000000');
    await page.getByRole('button', { name: 'Check and continue' }).click();
    await page.getByRole('alert').getByText('The card number or password is wrong').waitFor();

    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '保险卡激活' }).waitFor();
    await expect.poll(() => page.evaluate(() => window.localStorage.getItem('anxin.language'))).toBe('zh-CN');
  });

  it('looks up an activated card and one awaiting activation', async () => {
    await page.goto(`${world.webUrl}/my-card`);
    await page.getByRole('heading', { name: '我的保险卡' }).waitFor();
    await page.getByLabel('卡号', { exact: true }).fill(card(0).serial);
    await page.getByLabel('密码', { exact: true }).fill(card(0).password);
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('status').getByText('卡状态：已激活').waitFor();
    await checkScreen(page, browser, 'portal-10-my-card-activated');

    await page.getByLabel('卡号', { exact: true }).fill(card(3).serial);
    await page.getByLabel('密码', { exact: true }).fill(card(3).password);
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('status').getByText('卡状态：待激活').waitFor();
    await page.getByRole('button', { name: '去激活' }).click();
    await page.getByRole('heading', { name: '选择保障计划' }).waitFor();
    await expect(page.getByText(card(3).serial).isVisible()).resolves.toBe(true);
  });

  it('insures the spouse with named beneficiaries, checking the insured age as typed', async () => {
    await page.goto(`${world.webUrl}/activate`);
    await cardLogin(card(3));
    await page.getByRole('button', { name: '下一步', exact: true }).click();
    await page.getByRole('heading', { name: '填写投保信息' }).waitFor();

    await page.getByLabel('姓名', { exact: true }).fill('赵强');
    await page.getByLabel('证件号码', { exact: true }).fill('11010519600115001X'); // 66: may hold, not be insured
    await page.getByLabel('手机号码', { exact: true }).fill('13712345678');
    await page.getByText('被保险人是投保人本人').click();
    await page.getByLabel('被保险人是投保人的').selectOption('spouse');
    await page.getByLabel('姓名', { exact: true }).nth(1).fill('李娜');
    const insuredId = page.getByLabel('证件号码', { exact: true }).nth(1);
    await insuredId.fill('110105195001010020'); // 76 on the start date
    const insuredItem = page.locator('.adm-form-item').filter({ has: page.getByLabel('证件号码', { exact: true }) }).nth(1);
    await insuredItem.getByText('被保险人应为 18 至 65 周岁').waitFor();
    await insuredId.fill('110105199205200027');
    await insuredItem.getByText(/出生日期 1992-05-20 · 女/).waitFor();

    await page.getByText('指定受益人').click();
    await page.getByLabel('与被保险人关系').first().selectOption('child');
    await page.getByLabel('姓名', { exact: true }).nth(2).fill('赵小宝');
    await page.getByLabel('证件号码', { exact: true }).nth(2).fill('110105201506010032');
    await page.getByLabel('受益比例（%）').first().fill('60');
    await page.getByRole('button', { name: '添加受益人' }).click();
    await page.getByLabel('与被保险人关系').nth(1).selectOption('parent');
    await page.getByLabel('姓名', { exact: true }).nth(3).fill('赵大明');
    await page.getByLabel('证件号码', { exact: true }).nth(3).fill('11010519600115001X');
    await expect(page.getByLabel('受益比例（%）').nth(1).inputValue()).resolves.toBe('40'); // what is left
    await page.getByText('受益比例合计 100%').waitFor();
    await page.getByRole('button', { name: '添加受益人' }).click();
    await expect.poll(() => page.getByLabel('与被保险人关系').count()).toBe(3);
    await page.getByRole('button', { name: '删除受益人 3' }).click();
    await expect.poll(() => page.getByLabel('与被保险人关系').count()).toBe(2);
    await expect(page.getByLabel('姓名', { exact: true }).nth(3).inputValue()).resolves.toBe('赵大明');
    await checkScreen(page, browser, 'portal-11-details-beneficiaries');
    await page.getByRole('button', { name: '下一步：确认信息' }).click();

    await page.getByRole('heading', { name: '确认投保信息' }).waitFor();
    await expect(page.getByText('配偶').isVisible()).resolves.toBe(true);
    await expect(page.getByText('子女 · 60%').isVisible()).resolves.toBe(true);
    await expect(page.getByText('父母 · 40%').isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: '确认并生成保单' }).click();
    await page.getByRole('heading', { name: '激活成功' }).waitFor();
    const policyNo = (await page.getByTestId('policy-no').textContent())?.trim() ?? '';

    const underwriter = await new StaffApi(world.apiUrl, 'underwriter').signIn();
    const policy = await underwriter.call<{ parties: { role: string; relationship?: string; share_percent?: number }[] }>(
      'GET',
      `/api/v1/policies/by-number/${encodeURIComponent(policyNo)}`,
      undefined,
      200,
    );
    const summary = policy.parties.map((p) => `${p.role}:${p.relationship ?? ''}:${p.role === 'beneficiary' ? p.share_percent : ''}`);
    expect(summary.sort()).toEqual(['beneficiary:child:60', 'beneficiary:parent:40', 'holder:spouse:', 'insured:spouse:']);
  });

  it('explains SMS activation and writes the message', async () => {
    await page.goto(`${world.webUrl}/sms`);
    await page.getByRole('heading', { name: '短信激活' }).waitFor();
    await expect(page.getByText('JH 卡号 密码 姓名 身份证号').isVisible()).resolves.toBe(true);
    await page.getByLabel('卡号', { exact: true }).fill(card(3).serial.toLowerCase());
    await page.getByLabel('密码', { exact: true }).fill(card(3).password);
    await page.getByLabel('姓名', { exact: true }).fill('张三');
    await page.getByLabel('居民身份证', { exact: true }).fill('11010519491231002x');
    await expect(page.getByLabel('短信内容').inputValue()).resolves.toBe(
      `JH ${card(3).serial} ${card(3).password} 张三 11010519491231002X`,
    );
    await checkScreen(page, browser, 'portal-12-sms');
  });

  it('logs the demo customer in with a cookie session and out again', async () => {
    await page.goto(`${world.webUrl}/account`);
    await page.getByRole('heading', { name: '客户登录' }).waitFor();
    await checkScreen(page, browser, 'portal-13-customer-login');
    await page.getByLabel('用户名').fill('customer');
    await page.getByLabel('密码').fill('Anxin-demo-2026');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '我的账户' }).waitFor();
    await expect(page.getByText('110105********002X').isVisible()).resolves.toBe(true);
    // The session cookie is out of the scripts' reach.
    const cookies = await browser.context.cookies();
    expect(cookies.find((c) => c.name === 'anxin_session')?.httpOnly).toBe(true);
    await expect(page.evaluate(() => document.cookie)).resolves.not.toContain('anxin_session');
    await checkScreen(page, browser, 'portal-14-account');

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByRole('heading', { name: '保险卡自助服务' }).waitFor();
    await page.goto(`${world.webUrl}/account`);
    await page.getByRole('heading', { name: '客户登录' }).waitFor();
  });
});
