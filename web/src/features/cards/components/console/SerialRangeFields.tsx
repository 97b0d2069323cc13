// 起始卡号 .. 终止卡号: two serial inputs checked as typed (valid serials, one prefix, in order),
// with the number of cards in the range once it is one.
import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';

import { serialRules, TYPING_TRIGGERS } from '../../../../components/form/rules';
import { checkSerialRange } from './serial-range';

export function SerialRangeFields({ first = 'first_serial', last = 'last_serial' }: { first?: string; last?: string }) {
  const { t } = useTranslation('cardsConsole');
  const form = Form.useFormInstance();
  const a = Form.useWatch<string | undefined>(first, form);
  const b = Form.useWatch<string | undefined>(last, form);
  const range = checkSerialRange(a, b);
  return (
    <>
      <Form.Item name={first} label={t('serialRange.first')} rules={serialRules()} validateTrigger={TYPING_TRIGGERS} validateFirst>
        <Input autoComplete="off" placeholder={t('serialRange.firstPlaceholder')} className="ax-serial" />
      </Form.Item>
      <Form.Item
        name={last}
        label={t('serialRange.last')}
        dependencies={[first]}
        validateTrigger={TYPING_TRIGGERS}
        validateFirst
        rules={[
          ...serialRules(),
          {
            validator: async () => {
              const check = checkSerialRange(form.getFieldValue(first) as string, form.getFieldValue(last) as string);
              if (!check.ok && check.code === 'prefix_mismatch') throw new Error(t('serialRange.prefixMismatch'));
              if (!check.ok && check.code === 'before_first') throw new Error(t('serialRange.beforeFirst'));
            },
          },
        ]}
        extra={range.ok ? <span aria-live="polite">{t('serialRange.count', { count: range.count })}</span> : undefined}
      >
        <Input autoComplete="off" className="ax-serial" />
      </Form.Item>
    </>
  );
}
