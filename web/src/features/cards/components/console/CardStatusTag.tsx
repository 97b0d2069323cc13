import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import cardsConsoleZh from '../../i18n/console/zh-CN';

type StatusName = keyof typeof cardsConsoleZh.status;

const COLORS: Record<StatusName, string> = {
  in_stock: 'blue',
  sold: 'gold',
  awaiting_activation: 'cyan',
  activated: 'green',
  voided: 'default',
  frozen: 'red',
  expired: 'default',
};

export function isCardStatus(name: string): name is StatusName {
  return name in cardsConsoleZh.status;
}

// A card status as the server names it ({name, label_zh}), in the current language.
export function CardStatusTag({ status }: { status: { name: string; label_zh?: string } | string | null | undefined }) {
  const { t } = useTranslation('cardsConsole');
  if (!status) return null;
  const name = typeof status === 'string' ? status : status.name;
  if (!isCardStatus(name)) return <Tag>{typeof status === 'string' ? status : (status.label_zh ?? name)}</Tag>;
  return <Tag color={COLORS[name]}>{t(`status.${name}`)}</Tag>;
}

export function useCardStatusLabel(): (name: string) => string {
  const { t } = useTranslation('cardsConsole');
  return (name) => (isCardStatus(name) ? t(`status.${name}`) : name);
}
