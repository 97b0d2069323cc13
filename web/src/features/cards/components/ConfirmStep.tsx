// Step 4, confirm policy generation (seed 000): everything entered, once more, then the activation
// that issues the policy through `activate` (the holder's own activation, or staff's on the
// holder's behalf). A refusal naming fields goes back to the step that shows them (`onFix`).
import Button from 'antd-mobile/es/components/button';
import List from 'antd-mobile/es/components/list';
import NoticeBar from 'antd-mobile/es/components/notice-bar';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { Money } from '../../../components/Money';
import { PageHeading } from '../../../components/layout/PageHeading';
import { Problem } from '../../../components/Problem';
import { isApiError } from '../../../lib/api/errors';
import { pickText } from '../../../lib/i18n';
import type { ActivationMutation } from '../api/activation';
import { toActivationRequest } from './activation-model';
import { useActivationFlow } from './ActivationFlow';
import { TermText } from './OfferSummary';
import { PartySummary } from './PartySummary';

export function ConfirmStep({
  activate,
  onEdit,
  onFix,
  onIssued,
  children,
}: {
  activate: ActivationMutation;
  onEdit: () => void;
  onFix: (step: 'plan' | 'details') => void;
  onIssued: () => void;
  // Shown above the buttons (the console's channel choice).
  children?: ReactNode;
}) {
  const { t, i18n } = useTranslation('cards');
  const { t: tc } = useTranslation();
  const { draft, update } = useActivationFlow();
  const { credentials, offer, planCode, startDate, details } = draft;

  const request = useMemo(
    () => (credentials && planCode ? toActivationRequest(credentials, planCode, startDate, details) : null),
    [credentials, planCode, startDate, details],
  );
  if (!offer || !request) return null;
  const plan = offer.plans.find((p) => p.code === request.plan_code);

  const submit = () => {
    activate.mutate(
      { request, idempotencyKey: draft.idempotencyKey },
      {
        onSuccess: (policy) => {
          // The password and the typed personal data are not kept once the policy exists.
          update({ result: policy, credentials: undefined, serverError: undefined });
          onIssued();
        },
        onError: (error) => {
          if (!isApiError(error) || error.code !== 'validation_failed' || error.errors.length === 0) return;
          const onPlanStep = error.errors.every((e) => e.field === 'plan_code' || e.field === 'start_date');
          update({ serverError: error });
          onFix(onPlanStep ? 'plan' : 'details');
        },
      },
    );
  };

  return (
    <section>
      <PageHeading title={t('confirm.title')} />
      <NoticeBar content={t('confirm.notice')} color="info" wrap />
      <List header={pickText(offer.product.name_zh, offer.product.name_en, i18n.language)} className="cards-confirm">
        <List.Item extra={<span className="cards-serial">{request.serial}</span>}>{t('confirm.card')}</List.Item>
        <List.Item extra={plan ? pickText(plan.name_zh, plan.name_en, i18n.language) : request.plan_code}>
          {t('confirm.plan')}
        </List.Item>
        <List.Item extra={<Money fen={offer.premium_fen} />}>{t('confirm.premium')}</List.Item>
        <List.Item extra={<TermText term={offer.term} />}>{t('confirm.term')}</List.Item>
        <List.Item extra={request.start_date ?? offer.start_rule.earliest_start}>{t('confirm.start')}</List.Item>
      </List>
      <PartySummary title={t('confirm.holder')} party={request.holder} />
      {request.insured ? (
        <PartySummary
          title={t('confirm.insured')}
          party={request.insured}
          extra={tc(`relationship.${request.insured.relationship}`)}
        />
      ) : (
        <List header={t('confirm.insured')}>
          <List.Item>{t('confirm.sameAsHolder')}</List.Item>
        </List>
      )}
      {request.beneficiaries && request.beneficiaries.length > 0 ? (
        request.beneficiaries.map((b, i) => (
          <PartySummary
            key={i}
            title={`${t('confirm.beneficiaries')} ${i + 1}`}
            party={b}
            extra={`${tc(`relationship.${b.relationship}`)} · ${t('confirm.share', { percent: b.share_percent })}`}
          />
        ))
      ) : (
        <List header={t('confirm.beneficiaries')}>
          <List.Item>{t('confirm.legalHeirs')}</List.Item>
        </List>
      )}
      {children}
      <Problem error={activate.error} />
      <div className="cards-actions-row">
        <Button size="large" onClick={onEdit} disabled={activate.isPending}>
          {t('confirm.edit')}
        </Button>
        <Button color="primary" size="large" className="cards-grow" onClick={submit} loading={activate.isPending}>
          {t('confirm.submit')}
        </Button>
      </div>
    </section>
  );
}
