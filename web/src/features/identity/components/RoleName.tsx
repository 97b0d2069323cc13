import { useTranslation } from 'react-i18next';

import identityZh from '../i18n/zh-CN';

// A role's name in the current language; the code itself for a role this build does not know.
export function RoleName({ code }: { code: string }) {
  const { t } = useTranslation('identity');
  if (!(code in identityZh.roles)) return <>{code}</>;
  return <>{t(`roles.${code as keyof typeof identityZh.roles}`)}</>;
}
