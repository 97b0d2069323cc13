// SMS activation (seed 000, "activated by SMS"): the message format, what it does, and a helper
// that writes the message from the holder's card and ID, on this page only.
import Button from 'antd-mobile/es/components/button';
import Form from 'antd-mobile/es/components/form';
import Input from 'antd-mobile/es/components/input';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { PageHeading } from '../../../../components/layout/PageHeading';
import { idNumberRules, nameRules, requiredRule, serialRules, TYPING_TRIGGERS } from '../../../../components/form/rules';
import { composeSmsMessage, SMS_EXAMPLE, type SmsParts } from '../../components/sms';

export default function SmsActivationPage() {
  const { t } = useTranslation('cards');
  const { t: tc } = useTranslation();
  const [form] = Form.useForm<SmsParts>();
  const [copied, setCopied] = useState(false);
  const notes = ['keyword', 'spaces', 'sender', 'plan', 'reply', 'web'] as const;

  return (
    <section>
      <PageHeading title={t('sms.title')} intro={t('sms.intro')} />
      <div className="cards-sms">
        <h2 className="cards-section">{t('sms.format')}</h2>
        <p className="cards-sms-format">
          <code>{t('sms.formatValue')}</code>
        </p>
        <h2 className="cards-section">{t('sms.example')}</h2>
        <p className="cards-sms-format">
          <code>{SMS_EXAMPLE}</code>
        </p>
        <ul className="cards-notes">
          {notes.map((note) => (
            <li key={note}>{t(`sms.notes.${note}`)}</li>
          ))}
        </ul>
      </div>
      <h2 className="cards-section cards-pad">{t('sms.composer')}</h2>
      <p className="cards-hint cards-pad">{t('sms.composerHint')}</p>
      <Form form={form} layout="vertical" onValuesChange={() => setCopied(false)}>
        <Form.Item name="serial" label={t('login.serial')} rules={serialRules()} validateTrigger={TYPING_TRIGGERS} validateFirst>
          <Input autoComplete="off" autoCapitalize="characters" placeholder={t('login.serialPlaceholder')} />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[requiredRule('password')]}>
          <Input autoComplete="off" placeholder={t('login.passwordPlaceholder')} />
        </Form.Item>
        <Form.Item name="name" label={t('details.name')} rules={nameRules()} validateTrigger={TYPING_TRIGGERS} validateFirst>
          <Input autoComplete="off" placeholder={t('details.namePlaceholder')} />
        </Form.Item>
        <Form.Item
          name="id_number"
          label={tc('idType.resident_id')}
          rules={idNumberRules(() => 'resident_id')}
          validateTrigger={TYPING_TRIGGERS}
          validateFirst
        >
          <Input autoComplete="off" placeholder={t('details.idNumberPlaceholder')} />
        </Form.Item>
        <Form.Subscribe to={['serial', 'password', 'name', 'id_number']}>
          {(values) => {
            const message = composeSmsMessage(values as SmsParts);
            if (!message) return null;
            return (
              <div className="cards-sms-result">
                <label htmlFor="sms-text">{t('sms.text')}</label>
                <textarea id="sms-text" readOnly value={message} rows={2} />
                <Button
                  color="primary"
                  fill="outline"
                  onClick={() => {
                    void navigator.clipboard?.writeText(message).then(() => setCopied(true));
                  }}
                >
                  {copied ? tc('actions.copied') : tc('actions.copy')}
                </Button>
              </div>
            );
          }}
        </Form.Subscribe>
      </Form>
    </section>
  );
}
