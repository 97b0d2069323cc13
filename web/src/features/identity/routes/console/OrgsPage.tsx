// 机构管理: the caller's subtree as a tree; the chosen organisation's details, and for callers
// with org.write: rename, disable or enable, and add a lower organisation.
import { Alert, Button, Card, Descriptions, Form, Input, Modal, Select, Tag, Tree, type TreeDataNode } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Problem } from '../../../../components/Problem';
import { useServerErrors } from '../../../../components/form/use-server-errors';
import { ConsolePage } from '../../../../components/layout/ConsolePage';
import { useCan } from '../../../../components/layout/console-caller';
import { useChangeOrg, useCreateOrg, useOrgs, type NewOrg, type Org } from '../../api/admin';
import { orgForest, type OrgNode } from '../../components/org-tree';
import type identityConsoleZh from '../../i18n/console/zh-CN';

type Level = keyof typeof identityConsoleZh.orgs.levels;
const CHILD_LEVEL: Record<Level, NewOrg['level'] | null> = {
  head_office: 'branch',
  branch: 'institution',
  institution: 'outlet',
  outlet: null,
};

function toTreeData(nodes: readonly OrgNode<Org>[]): TreeDataNode[] {
  return nodes.map((node) => ({
    key: node.org.id,
    title: `${node.org.name} (${node.org.code})${node.org.status === 'disabled' ? ' ⊘' : ''}`,
    children: toTreeData(node.children),
  }));
}

function NewChild({ parent, onDone }: { parent: Org; onDone: () => void }) {
  const { t } = useTranslation('identityConsole');
  const [form] = Form.useForm<{ code: string; name: string }>();
  const create = useCreateOrg();
  const serverErrors = useServerErrors(form, { fields: ['code', 'name'] });
  const level = CHILD_LEVEL[parent.level];
  if (!level) return null;
  return (
    <Form
      form={form}
      layout="vertical"
      disabled={create.isPending}
      aria-label={t('orgs.addChild')}
      onFinish={(values) =>
        create.mutate(
          { code: values.code.trim().toUpperCase(), name: values.name.trim(), level, parent_id: parent.id },
          { onSuccess: onDone, onError: serverErrors.onError },
        )
      }
    >
      <p>
        {t('orgs.level')}: {t(`orgs.levels.${level}`)}
      </p>
      <Form.Item name="code" label={t('orgs.code')} rules={[{ required: true, whitespace: true, message: t('orgs.code') }]}>
        <Input autoComplete="off" maxLength={20} />
      </Form.Item>
      <Form.Item name="name" label={t('orgs.name')} rules={[{ required: true, whitespace: true, message: t('orgs.name') }]}>
        <Input autoComplete="off" maxLength={100} />
      </Form.Item>
      <Problem error={create.error} rest={serverErrors.rest} />
      <Button type="primary" htmlType="submit" loading={create.isPending}>
        {t('orgs.addChild')}
      </Button>
    </Form>
  );
}

function OrgDetail({ org, byId }: { org: Org; byId: Map<string, Org> }) {
  const { t } = useTranslation('identityConsole');
  const { t: tc } = useTranslation();
  const can = useCan();
  const change = useChangeOrg();
  const [form] = Form.useForm<{ name: string }>();
  const serverErrors = useServerErrors(form, { fields: ['name', 'status'] });
  const [adding, setAdding] = useState(false);
  const writable = can('org.write');
  const parent = org.parent_id ? byId.get(org.parent_id) : undefined;

  const toggle = () => {
    const status = org.status === 'active' ? 'disabled' : 'active';
    const run = () => change.mutate({ id: org.id, change: { status } }, { onError: serverErrors.onError });
    if (status === 'disabled') {
      Modal.confirm({ title: t('orgs.disableConfirm', { name: org.name }), okText: tc('record.disable'), cancelText: tc('actions.cancel'), okButtonProps: { danger: true }, onOk: run });
    } else run();
  };

  return (
    <Card title={<h2 className="ax-card-title">{`${org.name} (${org.code})`}</h2>}>
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('orgs.level')}>{t(`orgs.levels.${org.level}`)}</Descriptions.Item>
        <Descriptions.Item label={t('orgs.parent')}>{parent ? `${parent.name} (${parent.code})` : '—'}</Descriptions.Item>
        <Descriptions.Item label={tc('record.status')}>
          <Tag color={org.status === 'active' ? 'green' : 'default'}>{tc(`record.${org.status}`)}</Tag>
        </Descriptions.Item>
      </Descriptions>
      {writable && (
        <>
          <Form
            form={form}
            layout="inline"
            key={org.id}
            initialValues={{ name: org.name }}
            disabled={change.isPending}
            onFinish={(values) => change.mutate({ id: org.id, change: { name: values.name.trim() } }, { onError: serverErrors.onError })}
            style={{ margin: '12px 0' }}
          >
            <Form.Item name="name" label={t('orgs.name')} rules={[{ required: true, whitespace: true, message: t('orgs.name') }]}>
              <Input autoComplete="off" maxLength={100} />
            </Form.Item>
            <Button htmlType="submit" loading={change.isPending}>
              {tc('actions.save')}
            </Button>
          </Form>
          <div className="ax-console-actions">
            {org.level !== 'head_office' && (
              <Button danger={org.status === 'active'} onClick={toggle}>
                {tc(org.status === 'active' ? 'record.disable' : 'record.enable')}
              </Button>
            )}
            {CHILD_LEVEL[org.level] && <Button onClick={() => setAdding(true)}>{t('orgs.addChild')}</Button>}
          </div>
          {change.isSuccess && <Alert type="success" showIcon role="status" message={t('orgs.saved')} style={{ marginTop: 12 }} />}
          <Problem error={change.error} rest={serverErrors.rest} />
          {adding && (
            <Modal open title={t('orgs.addChild')} footer={null} onCancel={() => setAdding(false)}>
              <NewChild parent={org} onDone={() => setAdding(false)} />
            </Modal>
          )}
        </>
      )}
    </Card>
  );
}

export default function OrgsPage() {
  const { t } = useTranslation('identityConsole');
  const orgs = useOrgs();
  const [selected, setSelected] = useState<string | null>(null);
  const forest = useMemo(() => orgForest(orgs.data ?? []), [orgs.data]);
  const byId = useMemo(() => new Map((orgs.data ?? []).map((o) => [o.id, o])), [orgs.data]);
  const chosen = selected ? byId.get(selected) : undefined;
  return (
    <ConsolePage title={t('menu.orgs')} intro={t('orgs.intro')}>
      <Problem error={orgs.error} />
      <div className="ax-console-split">
        <Card title={<h2 className="ax-card-title">{t('orgs.tree')}</h2>}>
          {forest.length > 0 && (
            <Tree
              treeData={toTreeData(forest)}
              defaultExpandAll
              selectedKeys={selected ? [selected] : []}
              onSelect={(keys) => setSelected(keys[0] === undefined ? null : String(keys[0]))}
            />
          )}
          <Select
            aria-label={t('orgs.tree')}
            style={{ width: '100%', marginTop: 12 }}
            showSearch={{ optionFilterProp: 'label' }}
            value={selected ?? undefined}
            onChange={(v: string) => setSelected(v)}
            options={(orgs.data ?? []).map((o) => ({ value: o.id, label: `${o.code} · ${o.name}` }))}
          />
        </Card>
        {chosen ? <OrgDetail org={chosen} byId={byId} /> : <Card>{t('orgs.select')}</Card>}
      </div>
    </ConsolePage>
  );
}
