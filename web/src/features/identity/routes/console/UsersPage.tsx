// 用户管理: staff accounts of the caller's subtree by organisation, role or name; new accounts,
// roles (role.assign) and disabling or enabling (user.write).
import { Alert, Button, Card, Form, Input, Modal, Select, Space, Tag, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Problem } from '../../../../components/Problem';
import { useServerErrors } from '../../../../components/form/use-server-errors';
import { ConsolePage } from '../../../../components/layout/ConsolePage';
import { useCan } from '../../../../components/layout/console-caller';
import { useCursorPaging } from '../../../../components/table/cursor-paging';
import { FilterActions, PagedTable } from '../../../../components/table/PagedTable';
import { RoleName } from '../../components/RoleName';
import { useChangeUser, useCreateUser, useOrgs, useRoles, useSetUserRoles, useUsers, type NewUser, type User, type UserQuery } from '../../api/admin';

function useOrgOptions() {
  const orgs = useOrgs();
  return { loading: orgs.isLoading, options: (orgs.data ?? []).map((o) => ({ value: o.id, label: `${o.code} · ${o.name}` })) };
}

function useRoleOptions() {
  const { i18n } = useTranslation();
  const roles = useRoles();
  return (roles.data?.items ?? [])
    .filter((r) => r.kind === 'staff')
    .map((r) => ({ value: r.code, label: i18n.language === 'en' ? r.name_en : r.name_zh }));
}

function NewUserForm({ onDone }: { onDone: (user: User) => void }) {
  const { t } = useTranslation('identityConsole');
  const can = useCan();
  const [form] = Form.useForm<NewUser>();
  const create = useCreateUser();
  const orgs = useOrgOptions();
  const roles = useRoleOptions();
  const serverErrors = useServerErrors(form, { fields: ['org_id', 'login', 'display_name', 'password', 'phone', 'roles', 'roles[*]'] });
  const required = (label: string) => [{ required: true, whitespace: true, message: label }];
  return (
    <Form
      form={form}
      layout="vertical"
      disabled={create.isPending}
      aria-label={t('users.create')}
      onFinish={(values) =>
        create.mutate(
          {
            org_id: values.org_id,
            login: values.login.trim(),
            display_name: values.display_name.trim(),
            password: values.password,
            ...(values.phone?.trim() ? { phone: values.phone.trim() } : {}),
            ...(values.roles && values.roles.length > 0 ? { roles: values.roles } : {}),
          },
          { onSuccess: onDone, onError: serverErrors.onError },
        )
      }
    >
      <Form.Item name="org_id" label={t('users.org')} rules={[{ required: true, message: t('users.org') }]}>
        <Select showSearch={{ optionFilterProp: 'label' }} loading={orgs.loading} options={orgs.options} />
      </Form.Item>
      <Form.Item name="login" label={t('users.login')} rules={required(t('users.login'))}>
        <Input autoComplete="off" maxLength={64} />
      </Form.Item>
      <Form.Item name="display_name" label={t('users.displayName')} rules={required(t('users.displayName'))}>
        <Input autoComplete="off" maxLength={50} />
      </Form.Item>
      <Form.Item name="password" label={t('users.password')} extra={t('users.passwordHint')} rules={[{ required: true, min: 10, message: t('users.passwordHint') }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item name="phone" label={t('users.phone')}>
        <Input autoComplete="off" inputMode="tel" maxLength={11} />
      </Form.Item>
      {can('role.assign') && (
        <Form.Item name="roles" label={t('users.roles')}>
          <Select mode="multiple" options={roles} />
        </Form.Item>
      )}
      <Problem error={create.error} rest={serverErrors.rest} />
      <Button type="primary" htmlType="submit" loading={create.isPending}>
        {t('users.create')}
      </Button>
    </Form>
  );
}

function RolesDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation('identityConsole');
  const { t: tc } = useTranslation();
  const roles = useRoleOptions();
  const setRoles = useSetUserRoles();
  const [value, setValue] = useState<string[]>([...user.roles]);
  return (
    <Modal
      open
      title={t('users.rolesTitle', { login: user.login })}
      onCancel={onClose}
      okText={tc('actions.save')}
      cancelText={tc('actions.cancel')}
      confirmLoading={setRoles.isPending}
      onOk={() => setRoles.mutate({ id: user.id, roles: value }, { onSuccess: onClose })}
    >
      <label htmlFor="user-roles" className="ax-visually-hidden">
        {t('users.roles')}
      </label>
      <Select id="user-roles" mode="multiple" style={{ width: '100%' }} value={value} onChange={setValue} options={roles} />
      <Problem error={setRoles.error} />
    </Modal>
  );
}

export default function UsersPage() {
  const { t } = useTranslation('identityConsole');
  const { t: tc } = useTranslation();
  const can = useCan();
  const [filters, setFilters] = useState<Omit<UserQuery, 'after' | 'limit'>>({ kind: 'staff' });
  const paging = useCursorPaging();
  const users = useUsers({ ...filters, after: paging.after, limit: 50 });
  const orgs = useOrgOptions();
  const roles = useRoleOptions();
  const change = useChangeUser();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<User | null>(null);
  const [editing, setEditing] = useState<User | null>(null);
  const [form] = Form.useForm<{ org_id?: string; role?: string; q?: string }>();

  const toggle = (user: User) => {
    const status = user.status === 'active' ? 'disabled' : 'active';
    const run = () => change.mutate({ id: user.id, change: { status } });
    if (status === 'disabled') {
      Modal.confirm({ title: t('users.disableConfirm', { login: user.login }), okText: tc('record.disable'), cancelText: tc('actions.cancel'), okButtonProps: { danger: true }, onOk: run });
    } else run();
  };

  const columns: TableColumnsType<User> = [
    { title: t('users.login'), dataIndex: 'login', render: (l: string) => <code>{l}</code> },
    { title: t('users.displayName'), dataIndex: 'display_name' },
    { title: t('users.org'), render: (_, u) => (u.org?.name ? `${u.org.name} (${u.org.code ?? ''})` : '') },
    {
      title: t('users.roles'),
      render: (_, u) => (
        <Space wrap size={4}>
          {u.roles.map((r) => (
            <Tag key={r}>
              <RoleName code={r} />
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: tc('record.status'),
      render: (_, u) => (
        <Space size={4}>
          <Tag color={u.status === 'active' ? 'green' : 'default'}>{tc(`record.${u.status}`)}</Tag>
          {u.locked && <Tag color="red">{t('users.locked')}</Tag>}
        </Space>
      ),
    },
    {
      title: tc('table.actions'),
      render: (_, u) => (
        <Space size={4}>
          {can('role.assign') && (
            <Button size="small" onClick={() => setEditing(u)} aria-label={`${t('users.editRoles')} ${u.login}`}>
              {t('users.editRoles')}
            </Button>
          )}
          {can('user.write') && (
            <Button size="small" danger={u.status === 'active'} onClick={() => toggle(u)} aria-label={`${tc(u.status === 'active' ? 'record.disable' : 'record.enable')} ${u.login}`}>
              {tc(u.status === 'active' ? 'record.disable' : 'record.enable')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <ConsolePage
      title={t('menu.users')}
      intro={t('users.intro')}
      extra={
        can('user.write') && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('users.create')}
          </Button>
        )
      }
    >
      <Card>
        <Form
          form={form}
          layout="vertical"
          aria-label={t('menu.users')}
          onFinish={(v) => {
            setFilters({ kind: 'staff', ...(v.org_id ? { org_id: v.org_id } : {}), ...(v.role ? { role: v.role } : {}), ...(v.q?.trim() ? { q: v.q.trim() } : {}) });
            paging.reset();
          }}
          onReset={() => {
            setFilters({ kind: 'staff' });
            paging.reset();
          }}
        >
          <div className="ax-console-form-grid">
            <Form.Item name="org_id" label={t('users.org')}>
              <Select allowClear showSearch={{ optionFilterProp: 'label' }} loading={orgs.loading} options={orgs.options} />
            </Form.Item>
            <Form.Item name="role" label={t('users.role')}>
              <Select allowClear options={roles} />
            </Form.Item>
            <Form.Item name="q" label={t('users.q')}>
              <Input autoComplete="off" />
            </Form.Item>
          </div>
          <FilterActions />
        </Form>
      </Card>
      {created && <Alert type="success" showIcon role="status" message={t('users.created', { login: created.login })} />}
      <Problem error={users.error ?? change.error} />
      <PagedTable<User>
        rowKey="id"
        columns={columns}
        rows={users.data?.items}
        loading={users.isFetching}
        paging={paging}
        nextAfter={users.data?.next_after}
      />
      {creating && (
        <Modal open title={t('users.create')} footer={null} onCancel={() => setCreating(false)}>
          <NewUserForm
            onDone={(user) => {
              setCreated(user);
              setCreating(false);
            }}
          />
        </Modal>
      )}
      {editing && <RolesDialog user={editing} onClose={() => setEditing(null)} />}
    </ConsolePage>
  );
}
