import { Select } from 'antd';
import { useTranslation } from 'react-i18next';

import { useCardTypes, type CardType } from '../../api/card-admin';

// A card type picked by code (or by id with by="id"), "ACC1 · 意外险卡"; activeOnly leaves out
// disabled types (they take no new batches).
export function CardTypeSelect({
  value,
  onChange,
  by = 'code',
  activeOnly = false,
  allowClear = false,
  id,
  placeholder,
}: {
  value?: string;
  onChange?: (value: string | undefined) => void;
  by?: 'code' | 'id';
  activeOnly?: boolean;
  allowClear?: boolean;
  id?: string;
  placeholder?: string;
}) {
  const { t } = useTranslation('cardsConsole');
  const types = useCardTypes();
  const options = (types.data ?? [])
    .filter((type: CardType) => !activeOnly || type.status === 'active')
    .map((type: CardType) => ({ value: by === 'id' ? type.id : type.code, label: `${type.code} · ${type.name}` }));
  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      options={options}
      loading={types.isLoading}
      allowClear={allowClear}
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={placeholder}
      notFoundContent={t('common.empty')}
    />
  );
}
