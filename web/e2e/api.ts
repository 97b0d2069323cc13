// The tests' set-up through the API (bearer tokens, as any API client): the staff side of the
// card story that makes cards a holder can activate. The request bodies are those of
// bench/card_load.cpp and tests/api/issue3_cards.json.
import { DEMO_PASSWORD } from './harness';

export class StaffApi {
  private token = '';

  constructor(
    private readonly baseUrl: string,
    private readonly login: string,
  ) {}

  async signIn(): Promise<this> {
    const answer = await fetch(`${this.baseUrl}/api/v1/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ login: this.login, password: DEMO_PASSWORD }),
    });
    if (answer.status !== 201) throw new Error(`login ${this.login}: HTTP ${answer.status} ${await answer.text()}`);
    this.token = ((await answer.json()) as { token: string }).token;
    return this;
  }

  async call<T = Record<string, unknown>>(method: string, path: string, body: unknown, expect: number): Promise<T> {
    const text = await this.raw(method, path, body, expect);
    return JSON.parse(text) as T;
  }

  async raw(method: string, path: string, body: unknown, expect: number): Promise<string> {
    const answer = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await answer.text();
    if (answer.status !== expect) {
      throw new Error(`${this.login} ${method} ${path}: HTTP ${answer.status}, expected ${expect}: ${text}`);
    }
    return text;
  }
}

export interface Card {
  serial: string;
  password: string;
}

// Three random capital letters: a card type's serial prefix no other test file takes.
export function randomPrefix(): string {
  return Array.from({ length: 3 }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');
}

// Makes `count` cards of a new accident-insurance card type in stock at BJ01: type, batch, the
// one-time password export, issue HQ -> BJ -> BJ01.
export async function cardsInStockAtBj01(baseUrl: string, count: number): Promise<{ typeCode: string; cards: Card[] }> {
  const prefix = randomPrefix();
  const typeCode = `W${prefix}`;
  const hq = await new StaffApi(baseUrl, 'doc.hq').signIn();
  const type = await hq.call<{ id: string }>(
    'POST',
    '/api/v1/card-types',
    {
      code: typeCode,
      name: `网页测试卡 ${prefix}`,
      serial_prefix: prefix,
      product_code: 'ACCIDENT_ANNUAL',
      plan_codes: ['A', 'B'],
      default_plan_code: 'A',
      term: { unit: 'year', value: 1 },
      face_value_fen: 9900,
      validity_days: 365,
      start_rule: 'next_day',
      start_within_days: 0,
    },
    201,
  );
  const batch = await hq.call<{ id: string }>('POST', '/api/v1/card-batches', { card_type_id: type.id, quantity: count }, 201);
  const csv = await hq.raw('GET', `/api/v1/card-batches/${batch.id}/passwords.csv`, undefined, 200);
  const cards = csv
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.includes(','))
    .map((line) => {
      const [serial = '', password = ''] = line.split(',');
      return { serial, password };
    });
  if (cards.length !== count) throw new Error(`export had ${cards.length} cards, expected ${count}`);
  const first = cards[0]?.serial;
  const last = cards.at(-1)?.serial;
  const issue = (recipient: string) => ({
    kind: 'issue',
    doc_type_code: typeCode,
    recipient_type: 'org',
    recipient_code: recipient,
    first_serial: first,
    last_serial: last,
  });
  await hq.call('POST', '/api/v1/card-movements', issue('BJ'), 201);
  const bj = await new StaffApi(baseUrl, 'doc.bj').signIn();
  await bj.call('POST', '/api/v1/card-movements', issue('BJ01'), 201);
  return { typeCode, cards };
}

// Makes `count` cards of a new accident-insurance card type await activation at BJ01: in stock
// there (above), then sale, charge receipt, confirmation.
export async function cardsAwaitingActivation(baseUrl: string, count: number): Promise<Card[]> {
  const { typeCode, cards } = await cardsInStockAtBj01(baseUrl, count);
  const institution = await new StaffApi(baseUrl, 'doc.bj01').signIn();
  const sale = await institution.call<{ sales_no: string }>(
    'POST',
    '/api/v1/card-sales',
    {
      doc_type_code: typeCode,
      seller_org_code: 'BJ01',
      seller_code: 'seller.bj01',
      business_source: 'direct',
      serials: cards.map((c) => c.serial),
    },
    201,
  );
  const cashier = await new StaffApi(baseUrl, 'cashier.bj01').signIn();
  const receipt = await cashier.call<{ receipt_no: string; amount_fen: number }>(
    'POST',
    '/api/v1/receipts',
    { sales_no: sale.sales_no },
    201,
  );
  await cashier.call('POST', `/api/v1/receipts/${receipt.receipt_no}/confirm`, { amount_fen: receipt.amount_fen }, 200);
  return cards;
}
