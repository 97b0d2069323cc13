// Step 2, product choice (seed 000): the card's product, its plans and their coverages, and the
// start of cover by the card type's rule. Shown by the portal's activation and by the console's
// activation on a holder's behalf; `onNext` moves on once a plan (and start) is chosen.
import Button from 'antd-mobile/es/components/button';
import Radio from 'antd-mobile/es/components/radio';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { PageHeading } from '../../../components/layout/PageHeading';
import { Problem } from '../../../components/Problem';
import { pickText } from '../../../lib/i18n';
import { parseIsoDate } from '../../../lib/validation';
import { useActivationFlow } from './ActivationFlow';
import { CoverageList } from './CoverageList';
import { OfferSummary } from './OfferSummary';

export function PlanStep({ onNext }: { onNext: () => void }) {
  const { t, i18n } = useTranslation('cards');
  const { t: tc } = useTranslation();
  const { draft, update } = useActivationFlow();
  const offer = draft.offer;
  const [planCode, setPlanCode] = useState(draft.planCode ?? offer?.default_plan_code ?? offer?.plans[0]?.code);
  const [startDate, setStartDate] = useState(draft.startDate ?? offer?.start_rule.earliest_start ?? '');
  const [touched, setTouched] = useState(false);

  if (!offer) return null;
  const rule = offer.start_rule;
  const choosesStart = rule.rule === 'holder_choice';
  const serverErrors = (draft.serverError?.errors ?? []).filter(
    (e) => e.field === 'plan_code' || e.field === 'start_date',
  );

  let startError: string | null = null;
  if (choosesStart) {
    const chosen = parseIsoDate(startDate);
    if (!chosen) startError = t('plan.startRequired');
    else if (startDate < rule.earliest_start || startDate > rule.latest_start) {
      startError = t('plan.startOutside', { from: rule.earliest_start, to: rule.latest_start });
    }
  }
  const planError = planCode ? null : t('plan.planRequired');

  const next = () => {
    setTouched(true);
    if (planError || startError || !planCode) return;
    update({ planCode, startDate: choosesStart ? startDate : undefined, serverError: undefined });
    onNext();
  };

  return (
    <section>
      <PageHeading title={t('plan.title')} />
      <OfferSummary offer={offer} />
      {serverErrors.length > 0 && <Problem error={draft.serverError} rest={serverErrors} />}

      <fieldset className="cards-fieldset">
        <legend>{t('plan.plans')}</legend>
        <Radio.Group value={planCode ?? null} onChange={(value) => setPlanCode(String(value))}>
          {offer.plans.map((plan) => (
            <div key={plan.code} className={plan.code === planCode ? 'cards-plan is-selected' : 'cards-plan'}>
              <Radio value={plan.code} block>
                <span className="cards-plan-name">{pickText(plan.name_zh, plan.name_en, i18n.language)}</span>
                {plan.code === offer.default_plan_code && <span className="cards-tag">{t('plan.defaultPlan')}</span>}
              </Radio>
              <CoverageList coverages={plan.coverages} />
            </div>
          ))}
        </Radio.Group>
        {touched && planError && (
          <p className="cards-error" role="alert">
            {planError}
          </p>
        )}
      </fieldset>

      <div className="cards-start">
        {choosesStart ? (
          <label className="cards-start-choose">
            <span>{t('plan.startChoose', { from: rule.earliest_start, to: rule.latest_start })}</span>
            <input
              type="date"
              value={startDate}
              min={rule.earliest_start}
              max={rule.latest_start}
              onChange={(e) => setStartDate(e.target.value)}
              aria-invalid={startError !== null}
            />
            {startError && (touched || startDate !== '') && (
              <span className="cards-error" role="alert">
                {startError}
              </span>
            )}
          </label>
        ) : (
          <p>{t('plan.startNextDay', { date: rule.earliest_start })}</p>
        )}
      </div>

      <div className="cards-actions">
        <Button block color="primary" size="large" onClick={next}>
          {tc('actions.next')}
        </Button>
      </div>
    </section>
  );
}
