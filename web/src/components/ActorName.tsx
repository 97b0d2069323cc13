import { useTranslation } from 'react-i18next';

import { actorOf, type ActorFields } from '../lib/actor';

// The actor of an audit record or a card history line, by name: "姓名（登录名）" for staff, the
// job of a system actor, an anonymous caller, or a customer (whose id is kept in the title).
export function ActorName({ actor }: { actor: ActorFields }) {
  const { t } = useTranslation();
  const who = actorOf(actor);
  switch (who.kind) {
    case 'staff':
      return (
        <span>
          {who.name}
          <span className="ax-actor-login">（{who.login}）</span>
        </span>
      );
    case 'system':
      return <span>{t('actor.system', { job: who.job })}</span>;
    case 'anonymous':
      return <span>{t('actor.anonymous')}</span>;
    case 'other':
      return <span title={who.id}>{t('actor.other')}</span>;
  }
}
