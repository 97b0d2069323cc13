import { describe, expect, it } from 'vitest';

import zh from './i18n/zh-CN';
import { auditName, auditQuery, summaryText } from './audit-query';

describe('auditQuery', () => {
  it('makes whole Shanghai days of the dates and drops empty filters', () => {
    expect(auditQuery({ from: '2026-12-01', to: '2026-12-02', action: ' card.sell ', object_id: '  ' }, undefined, 20)).toEqual({
      limit: 20,
      from: '2026-12-01T00:00:00+08:00',
      to: '2026-12-02T23:59:59.999+08:00',
      action: 'card.sell',
    });
  });

  it('passes a staff login as typed, trimmed', () => {
    expect(auditQuery({ actor_login: ' doc.bj01 ', actor_id: '' })).toEqual({ limit: 50, actor_login: 'doc.bj01' });
  });

  it('pages by the last sequence number and ignores dates that are not dates', () => {
    expect(auditQuery({ from: '1.12.2026' }, 42)).toEqual({ limit: 50, after_seq: 42 });
  });
});

describe('summaryText', () => {
  it('writes each pair, nested values as JSON', () => {
    expect(summaryText({ quantity: 5, range: { first: 'A', last: 'B' } })).toBe('quantity: 5; range: {"first":"A","last":"B"}');
    expect(summaryText(null)).toBe('');
  });

  it('names the keys it knows and writes amounts in fen as money', () => {
    expect(summaryText({ amount_fen: 29700, quantity: 3, sales_no: 'XS1', odd_key: 'x' }, zh.auditSummaryKeys)).toBe(
      '金额: ¥297.00; 数量: 3; 销售单号: XS1; odd_key: x',
    );
    expect(summaryText({ refund_fen: -9900 }, zh.auditSummaryKeys)).toBe('退费金额: -¥99.00');
    // A value that is not a whole number of fen is written as it is.
    expect(summaryText({ amount_fen: 'n/a' }, zh.auditSummaryKeys)).toBe('金额: n/a');
  });

  it('names the codes a value holds by its key, and leaves unknown codes and other keys as they are', () => {
    const values = {
      ...zh.auditSummaryValues,
      business_source: { direct: '直销' },
      channel: { sms: '短信' },
      status: { awaiting_activation: '待激活', active: '启用', disabled: '停用' },
      from: zh.auditSummaryValues.status,
      to: zh.auditSummaryValues.status,
      kind: { red: '红字发票' },
      roles: { cashier: '收付费专员', auditor: '审计员' },
    };
    expect(
      summaryText({ business_source: 'direct', channel: 'sms', status: 'awaiting_activation', sales_no: 'sms' }, zh.auditSummaryKeys, values),
    ).toBe('业务来源: 直销; 渠道: 短信; 状态: 待激活; 销售单号: sms');
    expect(summaryText({ roles: ['cashier', 'auditor', 'astronaut'] }, zh.auditSummaryKeys, values)).toBe('角色: 收付费专员、审计员、astronaut');
    expect(summaryText({ channel: 'pigeon', kind: 'red', from: 'active', to: 'disabled' }, undefined, values)).toBe(
      'channel: pigeon; kind: 红字发票; from: 启用; to: 停用',
    );
    // A table that is not an object (a namespace i18next could not find) names nothing.
    expect(summaryText({ roles: ['cashier'] }, undefined, { roles: 'roles' })).toBe('roles: cashier');
  });
});

describe('auditName', () => {
  it('names known actions, objects and results', () => {
    expect(auditName(zh.auditActions, 'card.activate')).toBe('保险卡激活');
    expect(auditName(zh.auditActions, 'card_sale.register')).toBe('销售登记');
    expect(auditName(zh.auditObjects, 'card_recovery')).toBe('反向单');
    expect(auditName(zh.auditResults, 'rejected')).toBe('已拒绝');
  });

  it('has no name for an unknown code, a group or something inherited', () => {
    expect(auditName(zh.auditActions, 'card.teleport')).toBeUndefined();
    expect(auditName(zh.auditActions, 'card')).toBeUndefined();
    expect(auditName(zh.auditActions, 'card.activate.more')).toBeUndefined();
    expect(auditName(zh.auditObjects, 'toString')).toBeUndefined();
    expect(auditName(zh.auditActions, '')).toBeUndefined();
  });
});
