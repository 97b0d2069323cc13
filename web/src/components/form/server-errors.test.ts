import { describe, expect, it } from 'vitest';

import { ApiError } from '../../lib/api/errors';
import { applyServerErrors, fieldNamePath, serverFieldPath } from './server-errors';

function problem(errors: { field: string; code: string; message: string }[]): ApiError {
  return new ApiError({ status: 400, code: 'validation_failed', detail: '请求参数有误', errors });
}

function sink() {
  const calls: { name: (string | number)[]; errors: string[] }[][] = [];
  return { calls, setFields: (fields: never[]) => calls.push(fields as unknown as (typeof calls)[number]) };
}

describe('server field paths and form name paths', () => {
  it.each([
    ['holder.id_number', ['holder', 'id_number']],
    ['beneficiaries[0].share_percent', ['beneficiaries', 0, 'share_percent']],
    ['beneficiaries[12].name', ['beneficiaries', 12, 'name']],
    ['matrix[1][2]', ['matrix', 1, 2]],
    ['serial', ['serial']],
  ])('%s <-> %j', (field, path) => {
    expect(fieldNamePath(field)).toEqual(path);
    expect(serverFieldPath(path)).toBe(field);
  });
});

describe('applyServerErrors', () => {
  it('puts each error on the field it names and returns the others', () => {
    const form = sink();
    const rest = applyServerErrors(
      form,
      problem([
        { field: 'holder.id_number', code: 'invalid_checksum', message: '身份证号码校验位错误，请核对' },
        { field: 'holder.phone', code: 'invalid_format', message: '手机号码应为11位' },
        { field: 'beneficiaries[1].share_percent', code: 'out_of_range', message: '受益份额须为1-100' },
        { field: 'beneficiaries', code: 'shares_not_100', message: '受益份额合计须为100%' },
        { field: 'plan_code', code: 'plan_not_allowed', message: '该卡不能选择此保障计划' },
      ]),
      { fields: ['holder.id_number', 'holder.phone', 'beneficiaries[*].share_percent'] },
    );
    expect(form.calls).toEqual([
      [
        { name: ['holder', 'id_number'], errors: ['身份证号码校验位错误，请核对'] },
        { name: ['holder', 'phone'], errors: ['手机号码应为11位'] },
        { name: ['beneficiaries', 1, 'share_percent'], errors: ['受益份额须为1-100'] },
      ],
    ]);
    expect(rest.map((e) => e.field)).toEqual(['beneficiaries', 'plan_code']);
  });

  it('collects several errors of one field, and follows aliases', () => {
    const form = sink();
    const rest = applyServerErrors(
      form,
      problem([
        { field: 'holder.birth_date', code: 'holder_not_adult', message: '投保人须年满18周岁' },
        { field: 'holder.id_number', code: 'x', message: 'second' },
      ]),
      { fields: ['holder.id_number'], aliases: { 'holder.birth_date': 'holder.id_number' } },
    );
    expect(form.calls).toEqual([[{ name: ['holder', 'id_number'], errors: ['投保人须年满18周岁', 'second'] }]]);
    expect(rest).toEqual([]);
  });

  it('does not match a pattern on a longer field', () => {
    const form = sink();
    const rest = applyServerErrors(form, problem([{ field: 'holder.id_number_x', code: 'c', message: 'm' }]), {
      fields: ['holder.id_number', 'beneficiaries[*].name'],
    });
    expect(form.calls).toEqual([]);
    expect(rest).toHaveLength(1);
  });
});
