// 短信网关模拟器 (issue 7 §7): while no real SMS gateway is configured, the SMS the platform sent
// (phones masked) and a simulated phone that sends the platform an SMS, e.g. an SMS activation
// `JH 卡号 密码 姓名 身份证号`, and shows the platform's reply. With a real gateway the server
// answers 404 sms_simulator_off and the page says so.
import { Alert, Button, Card, Form, Input, Tag, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';

import { Problem } from '../../../../components/Problem';
import { mobileRules, TYPING_TRIGGERS } from '../../../../components/form/rules';
import { useServerErrors } from '../../../../components/form/use-server-errors';
import { ConsolePage } from '../../../../components/layout/ConsolePage';
import { PagedTable } from '../../../../components/table/PagedTable';
import { formatDateTime } from '../../../../lib/format';
import { normalizeMobile } from '../../../../lib/validation';
import { isSimulatorOff, useSimulatorInbound, useSimulatorMessages, type InboundSms, type SimulatedMessage } from '../../api';

function SplitDateTime({ value }: { value: string }) {
  const [date, time] = formatDateTime(value).split(' ');
  return (
    <time dateTime={value}>
      <span className="ax-nowrap">{date}</span> <span className="ax-nowrap">{time}</span>
    </time>
  );
}

const STATUS_COLORS: Record<SimulatedMessage['status'], string> = { pending: 'gold', sent: 'green', failed: 'red' };

function PhonePanel() {
  const { t } = useTranslation('notifyConsole');
  const [form] = Form.useForm<InboundSms>();
  const inbound = useSimulatorInbound();
  const serverErrors = useServerErrors(form, { fields: ['from', 'text'] });
  const reply = inbound.data;

  const send = (values: InboundSms) => {
    serverErrors.clear();
    const mobile = normalizeMobile(values.from);
    inbound.mutate({ from: mobile.ok ? mobile.value : values.from.trim(), text: values.text.trim() }, { onError: serverErrors.onError });
  };

  return (
    <Card title={<h2 className="ax-card-title">{t('simulator.phone')}</h2>} className="ax-sms-phone">
      <Form form={form} layout="vertical" onFinish={send} disabled={inbound.isPending} aria-label={t('simulator.phone')}>
        <Form.Item name="from" label={t('simulator.from')} rules={mobileRules(true)} validateTrigger={TYPING_TRIGGERS} validateFirst>
          <Input type="tel" inputMode="tel" autoComplete="off" placeholder={t('simulator.fromPlaceholder')} />
        </Form.Item>
        <Form.Item
          name="text"
          label={t('simulator.text')}
          rules={[{ required: true, whitespace: true, message: t('simulator.textRequired') }]}
          extra={
            <span data-testid="sms-help">
              {t('simulator.help')} <code>{t('simulator.helpFormat')}</code>
              <br />
              {t('simulator.helpNote')}
            </span>
          }
        >
          <Input.TextArea rows={3} maxLength={500} autoComplete="off" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={inbound.isPending}>
          {t('simulator.send')}
        </Button>
      </Form>
      <Problem error={inbound.error} rest={serverErrors.rest} />
      <div aria-live="polite">
        {reply && (
          <div className="ax-sms-reply" role="status" data-result={reply.result}>
            <p className="ax-sms-reply-head">
              {t('simulator.reply')}
              <Tag color={reply.result === 'activated' ? 'green' : 'orange'}>{t(`simulator.${reply.result}`)}</Tag>
            </p>
            <p className="ax-sms-bubble" data-testid="sms-reply">
              {reply.reply}
            </p>
          </div>
        )}
      </div>
    </Card>
  );
}

export default function SmsSimulatorPage() {
  const { t } = useTranslation('notifyConsole');
  const messages = useSimulatorMessages();
  const off = isSimulatorOff(messages.error);

  const columns: TableColumnsType<SimulatedMessage> = [
    // The date and the time each kept whole, the time under the date where the column is narrow.
    { title: t('simulator.columns.time'), render: (_, m) => <SplitDateTime value={m.sent_at ?? m.created_at} /> },
    { title: t('simulator.columns.to'), dataIndex: 'to_masked', className: 'ax-nowrap', render: (to: string) => <span className="ax-serial">{to}</span> },
    { title: t('simulator.columns.template'), dataIndex: 'template_code', render: (code: string) => <code>{code}</code> },
    { title: t('simulator.columns.text'), dataIndex: 'text', render: (text: string) => <span className="ax-sms-text">{text}</span> },
    {
      title: t('simulator.columns.status'),
      className: 'ax-nowrap',
      render: (_, m) => <Tag color={STATUS_COLORS[m.status]}>{t(`simulator.status.${m.status}`)}</Tag>,
    },
  ];

  return (
    <ConsolePage title={t('menu.simulator')} intro={t('simulator.intro')}>
      {off ? (
        <Alert type="warning" showIcon role="alert" message={t('simulator.off')} description={t('simulator.offBody')} />
      ) : (
        <div className="ax-sms-layout">
          <PhonePanel />
          <div className="ax-sms-messages">
            <Problem error={messages.error} />
            <PagedTable<SimulatedMessage>
              title={<h2 className="ax-card-title">{t('simulator.messages')}</h2>}
              extra={
                <Button onClick={() => void messages.refetch()} loading={messages.isFetching}>
                  {t('simulator.refresh')}
                </Button>
              }
              label={t('simulator.messages')}
              rowKey="id"
              columns={columns}
              rows={messages.data?.items}
              loading={messages.isFetching}
              size="small"
            />
          </div>
        </div>
      )}
    </ConsolePage>
  );
}
