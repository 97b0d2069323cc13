// 下发登记 and 回收登记: cards of one type, by serial range, issued from the caller's stock to a
// lower organisation or an authorised person, or recalled from them.
import { Alert, Button, Card, Form, Input, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';

import { Problem } from '../../../../components/Problem';
import { useServerErrors } from '../../../../components/form/use-server-errors';
import { ConsolePage } from '../../../../components/layout/ConsolePage';
import { useConsoleCaller } from '../../../../components/layout/console-caller';
import { useMoveCards, type MovementRequest } from '../../api/card-stock';
import { useSubtreeOrgs } from '../../api/reference';
import { CardTypeSelect } from '../../components/console/CardTypeSelect';
import { SerialRangeFields } from '../../components/console/SerialRangeFields';

type Kind = MovementRequest['kind'];
type Values = Omit<MovementRequest, 'kind'>;

const FIELDS = ['doc_type_code', 'first_serial', 'last_serial', 'recipient_type', 'recipient_code'];

function MovementPage({ kind }: { kind: Kind }) {
  const { t } = useTranslation('cardsConsole');
  const caller = useConsoleCaller();
  const [form] = Form.useForm<Values>();
  const move = useMoveCards();
  const orgs = useSubtreeOrgs();
  const serverErrors = useServerErrors(form, { fields: FIELDS });
  const recipientType = Form.useWatch('recipient_type', form) ?? 'org';
  const issue = kind === 'issue';

  const lower = (orgs.data ?? []).filter((org) => org.id !== caller.org?.id);

  const submit = (values: Values) => {
    serverErrors.clear();
    const request: MovementRequest = {
      kind,
      doc_type_code: values.doc_type_code,
      first_serial: values.first_serial.trim().toUpperCase(),
      last_serial: values.last_serial.trim().toUpperCase(),
      ...(values.recipient_code?.trim() ? { recipient_type: values.recipient_type ?? 'org', recipient_code: values.recipient_code.trim() } : {}),
    };
    move.mutate(request, { onError: serverErrors.onError });
  };

  const done = move.data;
  return (
    <ConsolePage title={t(issue ? 'menu.issue' : 'menu.recall')} intro={t(issue ? 'movement.issueIntro' : 'movement.recallIntro')}>
      <Card>
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          disabled={move.isPending}
          initialValues={{ recipient_type: 'org' }}
          aria-label={t(issue ? 'menu.issue' : 'menu.recall')}
        >
          <div className="ax-console-form-grid">
            <Form.Item name="doc_type_code" label={t('movement.docType')} rules={[{ required: true, message: t('movement.docType') }]}>
              <CardTypeSelect />
            </Form.Item>
            <SerialRangeFields />
          </div>
          {!issue && <p className="ax-console-hint">{t('movement.recallFromHint')}</p>}
          <div className="ax-console-form-grid">
            <Form.Item name="recipient_type" label={issue ? t('movement.recipientType') : t('movement.recallFromType')}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'org', label: t('movement.recipientOrg') },
                  { value: 'person', label: t('movement.recipientPerson') },
                ]}
              />
            </Form.Item>
            <Form.Item
              name="recipient_code"
              label={issue ? t('movement.recipientCode') : t('movement.recallFromCode')}
              rules={issue ? [{ required: true, message: t('movement.recipientCode') }] : []}
            >
              {recipientType === 'org' ? (
                <Select
                  allowClear={!issue}
                  showSearch={{ optionFilterProp: 'label' }}
                  loading={orgs.isLoading}
                  placeholder={t('movement.recipientOrgPlaceholder')}
                  options={lower.map((org) => ({ value: org.code, label: `${org.code} · ${org.name}` }))}
                />
              ) : (
                <Input autoComplete="off" placeholder={t('movement.recipientPersonPlaceholder')} />
              )}
            </Form.Item>
          </div>
          <Button type="primary" htmlType="submit" loading={move.isPending}>
            {t(issue ? 'movement.submitIssue' : 'movement.submitRecall')}
          </Button>
        </Form>
      </Card>
      {done && (
        <Alert
          type="success"
          showIcon
          role="status"
          message={t(issue ? 'movement.doneIssue' : 'movement.doneRecall', {
            no: done.movement_no,
            count: done.quantity,
            first: done.first_serial,
            last: done.last_serial,
          })}
          description={issue ? t('movement.nextStep') : undefined}
        />
      )}
      <Problem error={move.error} rest={serverErrors.rest} />
    </ConsolePage>
  );
}

export function IssuePage() {
  return <MovementPage kind="issue" />;
}

export function RecallPage() {
  return <MovementPage kind="recall" />;
}
