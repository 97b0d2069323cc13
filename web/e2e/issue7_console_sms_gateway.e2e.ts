// Issue 7 §7, the SMS gateway simulator when a real gateway is configured: anxin started with
// ANXIN_SMS_WEBHOOK_URL (README, "SMS") pointing at a gateway of this test, which records what it
// is sent. The simulator's page says it is off and offers no phone, both simulator routes answer
// 404 sms_simulator_off, and an activation's SMS goes to the gateway instead.
import { createServer, type Server } from 'node:http';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { cardsAwaitingActivation, StaffApi, type Card } from './api';
import { ConsoleUi, freePort, launchBrowser, startWorld, type Browser, type World } from './harness';

let gateway: Server;
const delivered: { to: string; text: string }[] = [];
let world: World;
let browser: Browser;
let page: Page;
let ui: ConsoleUi;
let cards: Card[];

beforeAll(async () => {
  const port = await freePort();
  gateway = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      delivered.push(JSON.parse(body) as { to: string; text: string });
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => gateway.listen(port, '127.0.0.1', resolve));
  world = await startWorld({
    env: { ANXIN_SMS_WEBHOOK_URL: `http://127.0.0.1:${port}/sms`, ANXIN_SMS_WEBHOOK_SECRET: 'gateway-test-secret' },
  });
  cards = await cardsAwaitingActivation(world.apiUrl, 1);
  browser = await launchBrowser({ width: 1280, height: 900 });
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  ui = new ConsoleUi(page, browser, world.webUrl);
});

afterAll(async () => {
  await browser?.close();
  await world?.stop();
  await new Promise((resolve) => gateway?.close(resolve));
});

describe('issue 7: the SMS simulator with a real gateway configured', () => {
  it('says the simulator is off and offers no phone', async () => {
    await ui.logIn('admin');
    const messages = page.waitForResponse((r) => r.url().includes('/api/v1/sms/simulator/messages'));
    await ui.openMenu('短信网关模拟器');
    const answer = await messages;
    expect(answer.status()).toBe(404);
    expect(((await answer.json()) as { code: string }).code).toBe('sms_simulator_off');
    await page.getByRole('alert').getByText('已配置真实短信网关，模拟器已关闭').waitFor();
    await expect(page.getByRole('button', { name: '发送' }).count()).resolves.toBe(0);
    await expect(page.getByLabel('短信内容').count()).resolves.toBe(0);
    await ui.check('console-sms-gateway-configured');
  });

  it('refuses the simulated inbound SMS too, and the gateway gets the real SMS', async () => {
    const admin = await new StaffApi(world.apiUrl, 'admin').signIn();
    const refused = JSON.parse(
      await admin.raw('POST', '/api/v1/sms/simulator/inbound', { from: '13900139000', text: 'JH 1 2 李四 3' }, 404),
    ) as { code: string };
    expect(refused.code).toBe('sms_simulator_off');

    const card = cards[0] ?? { serial: '', password: '' };
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
    await expect.poll(() => delivered.length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(delivered[0]?.to).toBe('13900139000');
  });
});
