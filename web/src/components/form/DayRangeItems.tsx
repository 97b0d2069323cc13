// The "from" and "to" day pickers of a list's filter form (fields `from` and `to`, Dayjs values).
import { DatePicker, Form } from 'antd';

export function DayRangeItems({ fromLabel, toLabel }: { fromLabel: string; toLabel: string }) {
  return (
    <>
      <Form.Item name="from" label={fromLabel}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="to" label={toLabel}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
    </>
  );
}
