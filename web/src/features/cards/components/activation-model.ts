// The activation form's values and how they become the API's activation request.
import { normalizeIdNumber, normalizeMobile, todayInShanghai, trimText } from '../../../lib/validation';
import type { IdType, Relationship, Sex } from '../../../lib/validation';
import type { ActivationRequest, BeneficiaryInput, CardCredentials, PartyInput } from '../api/activation';

export interface PersonValues {
  name?: string;
  id_type?: IdType;
  id_number?: string;
  // Asked only for documents other than the resident ID (whose number carries both).
  birth_date?: string;
  sex?: Sex;
  phone?: string;
}

export interface DetailsValues {
  holder: PersonValues;
  insured_is_holder: boolean;
  insured?: PersonValues & { relationship?: Exclude<Relationship, 'self'> };
  beneficiary_mode: 'legal' | 'named';
  beneficiaries?: (PersonValues & { relationship?: Relationship; share_percent?: number | string })[];
}

export const EMPTY_DETAILS: DetailsValues = {
  holder: { id_type: 'resident_id' },
  insured_is_holder: true,
  beneficiary_mode: 'legal',
};

function person(values: PersonValues): PartyInput {
  const idType = values.id_type ?? 'resident_id';
  const idNumber = normalizeIdNumber(idType, values.id_number ?? '', todayInShanghai());
  const phone = values.phone ? normalizeMobile(values.phone) : null;
  const out: PartyInput = {
    name: trimText(values.name ?? ''),
    id_type: idType,
    id_number: idNumber.ok ? idNumber.value : trimText(values.id_number ?? ''),
    phone: phone ? (phone.ok ? phone.value : trimText(values.phone ?? '')) : '',
  };
  if (idType !== 'resident_id') {
    if (values.birth_date) out.birth_date = values.birth_date;
    if (values.sex) out.sex = values.sex;
  }
  return out;
}

// The activation request for `details` of the card `credentials` with the chosen plan and start.
export function toActivationRequest(
  credentials: CardCredentials,
  planCode: string,
  startDate: string | undefined,
  details: DetailsValues,
): ActivationRequest {
  const request: ActivationRequest = {
    serial: credentials.serial,
    password: credentials.password,
    plan_code: planCode,
    holder: person(details.holder),
    insured_is_holder: details.insured_is_holder,
  };
  if (startDate) request.start_date = startDate;
  if (!details.insured_is_holder && details.insured) {
    const { phone, ...insured } = person(details.insured);
    request.insured = { ...insured, relationship: details.insured.relationship ?? 'other', ...(phone ? { phone } : {}) };
  }
  if (details.beneficiary_mode === 'named') {
    request.beneficiaries = (details.beneficiaries ?? []).map(
      (b): BeneficiaryInput => {
        const p = person(b);
        const out: BeneficiaryInput = {
          name: p.name,
          id_type: p.id_type,
          id_number: p.id_number,
          relationship: b.relationship ?? 'other',
          share_percent: Number(b.share_percent ?? 0),
        };
        if (p.birth_date) out.birth_date = p.birth_date;
        if (p.sex) out.sex = p.sex;
        return out;
      },
    );
  }
  return request;
}
